#pragma once

#include <optional>

#include <QString>
#include <QStringView>

// Parsing of the MindIE-wide MINDIE_LOG_* environment values. They are shared by every MindIE
// component, so a value may address components by name ("llm:debug; ms:warn").
namespace coord::log {

// The component name this process answers to in scoped values.
inline constexpr QStringView kComponentName = u"ms";

// Picks the value that applies to `component` out of a possibly scoped variable value.
// Entries are separated by ';' and read left to right; an entry is either "component:value" or a
// bare "value" that addresses every component. The last entry that addresses `component` wins.
// Returns nullopt when no entry applies (the variable then counts as unset for us).
// A prefix only counts as a component name when it is a plain word, so a path such as "/a:b"
// stays an unscoped value.
std::optional<QString> componentValue(QStringView raw, QStringView component = kComponentName);

// true/false/1/0, case-insensitive; nullopt for anything else.
std::optional<bool> parseBoolValue(QStringView value);

// Parsed form of a MINDIE_LOG_ROTATE value such as "-fs 20 -r 10". Options left out stay unset.
struct RotateOption
{
    std::optional<int> fileSizeMb;
    std::optional<int> fileCount;
};

inline constexpr int kMinFileSizeMb = 1;
inline constexpr int kMaxFileSizeMb = 500;
inline constexpr int kMinFileCount = 1;
inline constexpr int kMaxFileCount = 64;

// Parses "-fs MB" and "-r N" in any order. "-s <period>" (time-based rotation, used by other
// MindIE components) is accepted and ignored. Returns nullopt and fills `problem` when a token is
// unknown, a number is malformed or out of range (-fs 1..500, -r 1..64), or nothing was given.
std::optional<RotateOption> parseRotateOption(QStringView value, QString* problem);

} // namespace coord::log
