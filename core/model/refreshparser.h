#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "instanceinfo.h"

namespace coord {

// More entries than this in `ids` or `instances` fail the whole refresh (spec §1.3).
inline constexpr qsizetype kMaxRefreshEntries = 4096;

// An instance entry that was left out of a refresh, and why. The call still answers 200.
struct SkippedInstance
{
    std::optional<quint64> id; // absent when the entry had no readable id
    QString reason;            // names the instance and the field, ready for the run log
};

// A refresh body that passed the whole-call checks.
struct RefreshRequest
{
    // The authoritative list of instance ids (after flex conversion).
    QList<quint64> ids;
    // Entries that passed every per-instance rule, in body order.
    QList<InstanceInfo> instances;
    QList<SkippedInstance> skipped;
};

struct RefreshParseResult
{
    RefreshRequest request;
    // Empty on success; otherwise the reason for a 400 (bad JSON, missing key, too many entries,
    // flex conversion failure).
    QString error;

    bool ok() const { return error.isEmpty(); }
};

// Parses and validates a POST /v1/instances/refresh body (spec §2). Pure function, any thread.
RefreshParseResult parseRefreshBody(const QByteArray& body, ClusterMode mode);

} // namespace coord
