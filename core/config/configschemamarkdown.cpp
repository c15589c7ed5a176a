// Renders the schema table as the Markdown reference checked in at docs/CONFIG_REFERENCE.md.
#include <QTextStream>

#include "configschema.h"

namespace coord::config {

namespace {

QString cell(QString text)
{
    text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    return text.isEmpty() ? QStringLiteral("-") : text;
}

QString code(const QString& text)
{
    return text.isEmpty() ? QString() : QLatin1Char('`') + text + QLatin1Char('`');
}

QString sectionOf(const ConfigKey& key)
{
    return key.path.section(QLatin1Char('.'), 0, 0);
}

void writeIntro(QTextStream& out)
{
    out << "# ms_coordinator.json reference\n\n"
        << "Generated from the schema table in `core/config/configschema.cpp`; do not edit by hand.\n"
        << "Regenerate with `ms_coordinator --print-config-reference > docs/CONFIG_REFERENCE.md`.\n\n"
        << "- **Required**: *always* keys must be present; *optional* keys fall back to the default; "
           "conditional keys are required only when the condition holds and are otherwise only "
           "type-checked.\n"
        << "- **Env**: an environment variable that overrides the key. The loader applies the "
           "`request_limit` ones (an out-of-range `MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ` is clamped to 90000 "
           "with a warning); the logger applies the `MINDIE_LOG_*` ones.\n"
        << "- **Restart**: *yes* when a change only takes effect after a restart; *no* marks keys that a "
           "live reload may apply in place.\n"
        << "- Strings must be non-empty and at most 4096 characters unless the range says otherwise. "
           "Unknown keys are reported as warnings.\n"
        << "- Cross-key rules: valid deploy_mode / scheduler_type / algorithm_type combinations; the five "
           "ports pairwise distinct; 0.0.0.0 or :: only with allow_all_zero_ip_listening; schedule_timeout "
           "lowered to end 20 s before min(first_token_timeout, infer_timeout) (reported as a warning); "
           "files of enabled TLS blocks must exist and pass the permission checks.\n";
}

} // namespace

QString renderSchemaMarkdown()
{
    QString text;
    QTextStream out(&text);
    writeIntro(out);

    QString currentSection;
    for (const ConfigKey& key : configSchema()) {
        const QString section = sectionOf(key);
        if (section != currentSection) {
            currentSection = section;
            out << "\n## " << section << "\n\n";
            const bool isSectionRow = key.path == section && key.type == ValueType::Object;
            if (isSectionRow)
                out << key.help << "\n\n";
            out << "| Key | Type | Default | Allowed | Required | Env | Restart | Description |\n"
                << "|---|---|---|---|---|---|---|---|\n";
            if (isSectionRow)
                continue;
        }
        out << "| " << cell(code(key.path)) << " | " << cell(key.typeName()) << " | "
            << cell(code(key.defaultText())) << " | " << cell(key.allowedText()) << " | "
            << cell(key.requirementText()) << " | " << cell(code(key.envVar)) << " | "
            << (key.needsRestart ? "yes" : "no") << " | " << cell(key.help) << " |\n";
    }
    out.flush();
    return text;
}

} // namespace coord::config
