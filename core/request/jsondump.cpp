#include "jsondump.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace coord::json {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Counts the bytes that would be written.
class SizeSink
{
public:
    void put(char) { ++m_size; }
    void put(std::string_view text) { m_size += qint64(text.size()); }
    qint64 size() const { return m_size; }

private:
    qint64 m_size = 0;
};

class StringSink
{
public:
    explicit StringSink(std::string& out) : m_out(out) {}
    void put(char c) { m_out.push_back(c); }
    void put(std::string_view text) { m_out.append(text); }

private:
    std::string& m_out;
};

char hexDigit(unsigned value)
{
    return "0123456789abcdef"[value & 0xf];
}

bool needsEscape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

// The index of the first byte at or after `from` that must be escaped, or text.size(). Looks at
// eight bytes at a time: the usual text has no such byte for long stretches.
std::size_t nextEscape(std::string_view text, std::size_t from)
{
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    const auto hasZeroByte = [](std::uint64_t word) { return (word - kOnes) & ~word & kHighBits; };
    while (from + 8 <= text.size()) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + from, sizeof(word));
        const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHighBits; // a byte < 0x20
        if (control | hasZeroByte(word ^ (kOnes * '"')) | hasZeroByte(word ^ (kOnes * '\\')))
            break;
        from += 8;
    }
    while (from < text.size() && !needsEscape(static_cast<unsigned char>(text[from])))
        ++from;
    return from;
}

template <typename Sink> void writeString(Sink& sink, std::string_view text)
{
    sink.put('"');
    std::size_t runStart = 0;
    for (std::size_t i = nextEscape(text, 0); i < text.size(); i = nextEscape(text, i + 1)) {
        const auto c = static_cast<unsigned char>(text[i]);
        sink.put(text.substr(runStart, i - runStart));
        runStart = i + 1;
        switch (c) {
        case '"':
            sink.put(std::string_view("\\\""));
            break;
        case '\\':
            sink.put(std::string_view("\\\\"));
            break;
        case '\b':
            sink.put(std::string_view("\\b"));
            break;
        case '\f':
            sink.put(std::string_view("\\f"));
            break;
        case '\n':
            sink.put(std::string_view("\\n"));
            break;
        case '\r':
            sink.put(std::string_view("\\r"));
            break;
        case '\t':
            sink.put(std::string_view("\\t"));
            break;
        default: {
            const char escape[] = {'\\', 'u', '0', '0', hexDigit(c >> 4), hexDigit(c)};
            sink.put(std::string_view(escape, sizeof(escape)));
            break;
        }
        }
    }
    sink.put(text.substr(runStart));
    sink.put('"');
}

template <typename Sink> void writeInteger(Sink& sink, std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    sink.put(std::string_view(buffer, std::size_t(result.ptr - buffer)));
}

// Writes a finite double that is not an integral qint64 value: the shortest digits that read
// back exactly, laid out in decimal unless the exponent form ([-]d[.ddd]e±xx) is shorter.
template <typename Sink> void writeShortestDouble(Sink& sink, double value)
{
    char scientific[40];
    const auto result =
        std::to_chars(scientific, scientific + sizeof(scientific), value, std::chars_format::scientific);
    std::string_view text(scientific, std::size_t(result.ptr - scientific));
    if (!text.empty() && text.front() == '-') {
        sink.put('-');
        text.remove_prefix(1);
    }
    const std::size_t ePos = text.find('e');
    if (ePos == std::string_view::npos || ePos + 2 >= text.size()) { // not expected from to_chars
        sink.put(text);
        return;
    }
    char digits[24];
    int digitCount = 0;
    for (std::size_t i = 0; i < ePos && digitCount < int(sizeof(digits)); ++i) {
        if (text[i] != '.')
            digits[digitCount++] = text[i];
    }
    int exponent = 0;
    std::from_chars(text.data() + ePos + 2, text.data() + text.size(), exponent);
    if (text[ePos + 1] == '-')
        exponent = -exponent;
    // Position of the decimal point relative to the first digit.
    const int pointPos = exponent + 1;
    const int decimalLength = pointPos <= 0           ? 2 - pointPos + digitCount
                              : pointPos < digitCount ? digitCount + 1
                                                      : pointPos;
    if (decimalLength > int(text.size())) {
        sink.put(text);
        return;
    }
    const std::string_view digitText(digits, std::size_t(digitCount));
    if (pointPos <= 0) {
        sink.put(std::string_view("0."));
        for (int i = 0; i < -pointPos; ++i)
            sink.put('0');
        sink.put(digitText);
    } else if (pointPos < digitCount) {
        sink.put(digitText.substr(0, std::size_t(pointPos)));
        sink.put('.');
        sink.put(digitText.substr(std::size_t(pointPos)));
    } else {
        sink.put(digitText);
        for (int i = digitCount; i < pointPos; ++i)
            sink.put('0');
    }
}

template <typename Sink> void writeDouble(Sink& sink, double value)
{
    if (!std::isfinite(value)) { // simdjson never produces these; Qt writes them as null
        sink.put(std::string_view("null"));
        return;
    }
    // Qt's parser stores every integral value of the qint64 range as an integer.
    constexpr double kTwoTo63 = 9223372036854775808.0;
    if (value >= -kTwoTo63 && value < kTwoTo63 && std::trunc(value) == value) {
        writeInteger(sink, static_cast<std::int64_t>(value));
        return;
    }
    writeShortestDouble(sink, value);
}

template <typename Sink> void writeValue(Sink& sink, element value);

// Objects with up to this many keys look for duplicates pairwise; larger ones sort the keys.
constexpr std::size_t kPairwiseKeyLimit = 8;

bool hasLaterDuplicate(simdjson::dom::object::iterator field, simdjson::dom::object::iterator end)
{
    const std::string_view key = field.key();
    for (++field; field != end; ++field) {
        if (field.key_equals(key))
            return true;
    }
    return false;
}

// Marks, for each field in order, whether a later field has the same key.
std::vector<bool> shadowedFields(simdjson::dom::object object)
{
    std::vector<std::pair<std::string_view, std::size_t>> keys;
    for (auto field = object.begin(); field != object.end(); ++field)
        keys.emplace_back(field.key(), keys.size());
    std::sort(keys.begin(), keys.end());
    std::vector<bool> shadowed(keys.size(), false);
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
        if (keys[i].first == keys[i + 1].first)
            shadowed[keys[i].second] = true;
    }
    return shadowed;
}

template <typename Sink> void writeField(Sink& sink, bool& first, simdjson::dom::object::iterator field)
{
    if (!first)
        sink.put(',');
    first = false;
    writeString(sink, field.key());
    sink.put(':');
    writeValue(sink, field.value());
}

template <typename Sink> void writeObject(Sink& sink, simdjson::dom::object object)
{
    sink.put('{');
    bool first = true;
    if (object.size() <= kPairwiseKeyLimit) {
        for (auto field = object.begin(); field != object.end(); ++field) {
            if (!hasLaterDuplicate(field, object.end()))
                writeField(sink, first, field);
        }
    } else {
        const std::vector<bool> shadowed = shadowedFields(object);
        std::size_t index = 0;
        for (auto field = object.begin(); field != object.end(); ++field, ++index) {
            if (!shadowed[index])
                writeField(sink, first, field);
        }
    }
    sink.put('}');
}

template <typename Sink> void writeArray(Sink& sink, simdjson::dom::array array)
{
    sink.put('[');
    bool first = true;
    for (const element item : array) {
        if (!first)
            sink.put(',');
        first = false;
        writeValue(sink, item);
    }
    sink.put(']');
}

// Recursion is bounded by the parser's maximum depth (1024, as Qt's).
template <typename Sink> void writeValue(Sink& sink, element value)
{
    switch (value.type()) {
    case element_type::OBJECT:
        writeObject(sink, value.get_object().value_unsafe());
        break;
    case element_type::ARRAY:
        writeArray(sink, value.get_array().value_unsafe());
        break;
    case element_type::STRING:
        writeString(sink, value.get_string().value_unsafe());
        break;
    case element_type::INT64:
        writeInteger(sink, value.get_int64().value_unsafe());
        break;
    case element_type::UINT64: {
        // Only values above INT64_MAX are UINT64; Qt reads those as doubles.
        const std::uint64_t number = value.get_uint64().value_unsafe();
        if (number <= std::uint64_t(INT64_MAX))
            writeInteger(sink, std::int64_t(number));
        else
            writeDouble(sink, double(number));
        break;
    }
    case element_type::DOUBLE:
        writeDouble(sink, value.get_double().value_unsafe());
        break;
    case element_type::BOOL:
        sink.put(value.get_bool().value_unsafe() ? std::string_view("true") : std::string_view("false"));
        break;
    case element_type::NULL_VALUE:
        sink.put(std::string_view("null"));
        break;
    }
}

} // namespace

void appendCompact(std::string& out, element value)
{
    StringSink sink(out);
    writeValue(sink, value);
}

qint64 compactSize(element value)
{
    SizeSink sink;
    writeValue(sink, value);
    return sink.size();
}

qint64 utf16Length(std::string_view utf8)
{
    qint64 units = 0;
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte & 0xc0) != 0x80) // not a continuation byte: one code point starts here
            units += byte >= 0xf0 ? 2 : 1;
    }
    return units;
}

qint64 elementCount(simdjson::dom::array array)
{
    const std::size_t size = array.size();
    if (size < 0xffffff)
        return qint64(size);
    qint64 count = 0;
    for (auto item = array.begin(); item != array.end(); ++item)
        ++count;
    return count;
}

} // namespace coord::json
