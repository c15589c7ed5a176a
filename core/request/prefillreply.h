#pragma once

#include <QByteArray>

#include <optional>

namespace coord {

// A prefill instance's answer to the prefill leg (spec §3.2):
// {"reqId":"…","isStream":bool,"isLastResp":bool,"output":"<bytes for the user>"}.
struct PrefillReply
{
    QByteArray requestId;
    bool isStream = false;
    bool isLastResp = false;
    QByteArray output; // verbatim: the first event of a stream, or the whole body when last
};

// Empty when the body is not that object (the coordinator then answers 500 "P instance error").
std::optional<PrefillReply> parsePrefillReply(const QByteArray& body);

} // namespace coord
