#include "ipliteral.h"

#include <algorithm>
#include <array>

#include <QByteArray>

#include <arpa/inet.h>

namespace coord {
namespace {

// The parsed address bytes, or an empty family when the text is not an address.
struct ParsedAddress
{
    int family = 0;
    std::array<unsigned char, 16> bytes{};
};

ParsedAddress parseAddress(QStringView text)
{
    ParsedAddress parsed;
    const QByteArray ascii = text.toLatin1();
    if (ascii.size() != text.size() || ascii.isEmpty())
        return parsed;
    if (inet_pton(AF_INET, ascii.constData(), parsed.bytes.data()) == 1)
        parsed.family = AF_INET;
    else if (inet_pton(AF_INET6, ascii.constData(), parsed.bytes.data()) == 1)
        parsed.family = AF_INET6;
    return parsed;
}

} // namespace

bool isValidIpLiteral(QStringView text)
{
    return parseAddress(text).family != 0;
}

bool isUnspecifiedIpLiteral(QStringView text)
{
    const ParsedAddress parsed = parseAddress(text);
    if (parsed.family == 0)
        return false;
    const std::size_t length = parsed.family == AF_INET ? 4 : 16;
    return std::all_of(parsed.bytes.begin(), parsed.bytes.begin() + length,
                       [](unsigned char b) { return b == 0; });
}

} // namespace coord
