#include "envvalue.h"

#include <QStringList>

namespace coord::log {

namespace {

bool isComponentWord(QStringView word)
{
    if (word.isEmpty()) {
        return false;
    }
    for (QChar ch : word) {
        if (!ch.isLetterOrNumber() && ch != u'_' && ch != u'-') {
            return false;
        }
    }
    return true;
}

bool parseInt(QStringView text, int* out)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (ok) {
        *out = value;
    }
    return ok;
}

} // namespace

std::optional<QString> componentValue(QStringView raw, QStringView component)
{
    std::optional<QString> result;
    for (QStringView entry : raw.split(u';')) {
        entry = entry.trimmed();
        if (entry.isEmpty()) {
            continue;
        }
        const qsizetype colon = entry.indexOf(u':');
        const QStringView prefix = colon > 0 ? entry.left(colon).trimmed() : QStringView();
        if (colon > 0 && isComponentWord(prefix)) {
            if (prefix.compare(component, Qt::CaseInsensitive) == 0) {
                result = entry.mid(colon + 1).trimmed().toString();
            }
            continue;
        }
        result = entry.toString();
    }
    return result;
}

std::optional<bool> parseBoolValue(QStringView value)
{
    const QStringView trimmed = value.trimmed();
    if (trimmed.compare(u"true", Qt::CaseInsensitive) == 0 || trimmed == u"1") {
        return true;
    }
    if (trimmed.compare(u"false", Qt::CaseInsensitive) == 0 || trimmed == u"0") {
        return false;
    }
    return std::nullopt;
}

std::optional<RotateOption> parseRotateOption(QStringView value, QString* problem)
{
    const auto fail = [problem](const QString& why) -> std::optional<RotateOption> {
        if (problem) {
            *problem = why;
        }
        return std::nullopt;
    };

    const QList<QStringView> tokens = value.split(u' ', Qt::SkipEmptyParts);
    RotateOption option;
    for (qsizetype i = 0; i < tokens.size(); i += 2) {
        const QStringView flag = tokens.at(i);
        if (i + 1 >= tokens.size()) {
            return fail(QStringLiteral("option %1 has no value").arg(flag));
        }
        const QStringView argument = tokens.at(i + 1);
        if (flag == u"-s") {
            continue; // time-based rotation is not supported; size rotation still applies
        }
        int number = 0;
        if (flag == u"-fs") {
            if (!parseInt(argument, &number) || number < kMinFileSizeMb || number > kMaxFileSizeMb) {
                return fail(QStringLiteral("-fs must be an integer in [%1, %2] MB")
                                .arg(kMinFileSizeMb)
                                .arg(kMaxFileSizeMb));
            }
            option.fileSizeMb = number;
        } else if (flag == u"-r") {
            if (!parseInt(argument, &number) || number < kMinFileCount || number > kMaxFileCount) {
                return fail(QStringLiteral("-r must be an integer in [%1, %2]")
                                .arg(kMinFileCount)
                                .arg(kMaxFileCount));
            }
            option.fileCount = number;
        } else {
            return fail(QStringLiteral("unknown option %1 (expected -fs MB -r N)").arg(flag));
        }
    }
    if (!option.fileSizeMb && !option.fileCount) {
        return fail(QStringLiteral("expected -fs MB and/or -r N"));
    }
    return option;
}

} // namespace coord::log
