#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace coord::config {

// How a key's value is written in ms_coordinator.json. Several MindIE keys hold numbers inside JSON
// strings (ports, digs_scheduler_config); those get their own types so that the console editor
// can offer the right widget and still write a string back.
enum class ValueType
{
    Object,           // a JSON object grouping further keys
    Bool,             // true / false
    Integer,          // JSON integer
    Number,           // JSON number, fractions allowed
    String,           // free text
    FilePath,         // path to a file, relative paths resolve against the working directory
    IpAddress,        // IPv4 or IPv6 literal in a string
    PortString,       // decimal port number in a string ("1025")
    IntegerString,    // decimal integer in a string ("100")
    DecimalString,    // decimal number in a string ("0.05")
    EnumString,       // one of `allowedValues`
    NumberListString, // comma-separated numbers in a string ("1, 0")
};

// When a key must be present. Conditional keys whose condition is false are only type-checked.
enum class Requirement
{
    Always,
    Optional,            // absent: `defaultValue` is used
    WhenCacheAffinity,   // digs_scheduler_config.algorithm_type == "cache_affinity"
    WhenLoadBalance,     // digs_scheduler_config.algorithm_type == "load_balance"
    WhenTlsBlockEnabled, // the bool at `conditionPath` (tls_config.<block>_tls_enable) is true
    WhenBackupEnabled,   // backup_config.function_enable is true
};

// One row of the configuration table: everything the validator, --check-config, the console
// editor and the generated reference need to know about one key.
struct ConfigKey
{
    QString path; // dotted JSON path, e.g. "http_config.predict_port"
    ValueType type = ValueType::String;
    QJsonValue defaultValue; // documented default; Undefined when there is none
    bool bounded = false;    // minimum/maximum apply (to the value, or to each list element)
    double minimum = 0;
    double maximum = 0;
    QStringList allowedValues; // EnumString choices; NumberListString exact choices when set
    int listLength = 0;        // NumberListString: expected number of elements
    Requirement requirement = Requirement::Always;
    QString conditionPath; // the enabling bool for WhenTlsBlockEnabled / WhenBackupEnabled
    QString envVar;        // environment variable that overrides the key, if any. The config loader applies
                           // the request_limit ones; the logger applies the MINDIE_LOG_* ones itself.
    bool needsRestart = true; // false: safe to apply in place once live reload exists; today the
                              // daemon reads the file only at startup
    bool allowEmpty = false;  // strings: "" is accepted (tls_crl)
    bool advisory = false;    // problems are warnings: the daemon corrects these keys at run time
    QString unit;             // "s", "MiB", "ms" ...
    QString help;             // one or two English sentences

    QString key() const;             // last path element
    QString parentPath() const;      // path without the last element; empty for top-level keys
    QString typeName() const;        // "integer", "port string" ...
    QString allowedText() const;     // human-readable range or values; empty when anything goes
    QString requirementText() const; // "always", "when algorithm_type is cache_affinity" ...
    QString defaultText() const;     // the default as it would be written in JSON
};

// The 8 TLS blocks of tls_config, in file order.
struct TlsBlockInfo
{
    QString name;    // "request_server" -> request_server_tls_enable / request_server_tls_items
    bool serverSide; // true: we accept connections with it; false: we connect with it
    QString purpose; // which link it protects
    QString enablePath() const;
    QString itemsPath() const;
};
const QList<TlsBlockInfo>& tlsBlocks();

// The whole table, parents before children, in the order of the documented sample file.
const QList<ConfigKey>& configSchema();

// Row for a dotted path, or nullptr when the key is not part of ms_coordinator.json.
const ConfigKey* findConfigKey(const QString& path);

// Markdown reference generated from the table (docs/CONFIG_REFERENCE.md).
QString renderSchemaMarkdown();

// The five *_port keys of http_config; they must be pairwise distinct.
const QStringList& httpPortPaths();

} // namespace coord::config
