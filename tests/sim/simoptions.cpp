#include "simoptions.h"

#include <cstdio>

#include <QCommandLineParser>

namespace mindiesim {

namespace {

struct Flag
{
    const char* name;
    const char* help; // ends with the default
    const char* valueName;
};

// One table drives --help and parsing, so the help can never miss a flag.
const Flag kFlags[] = {
    {"single", "Number of single (mixed, role 'U') instances. Default 0.", "N"},
    {"prefill", "Number of prefill (P) instances. Default 0.", "N"},
    {"decode", "Number of decode (D) instances; D peers = all P of the same group. Default 0.", "N"},
    {"groups", "P/D groups; instance k of a role joins group k mod G. Default 1.", "G"},
    {"host", "Address every instance binds and advertises. Default 127.0.0.1.", "IP"},
    {"base-port",
     "Instance i uses port B+3i (inference), B+3i+1 (metrics), B+3i+2 (inter_comm). 0 = ephemeral ports. "
     "Default 17000.",
     "B"},
    {"single-container",
     "Bind and advertise inter_comm_port (pd_disaggregation_single_container). Default off.", ""},
    {"model", "model_name reported to the Controller, in metrics and replies. Default llama_65b.", "NAME"},
    {"seed", "Seed mixed into every output text. Default 0.", "S"},
    {"default-output", "Output tokens when the request sets no limit. Default 16.", "N"},
    {"max-output", "Cap on output tokens per request (also max_output_len). Default 512.", "N"},
    {"max-seq-len", "max_seq_len reported to the Controller. Default 2048.", "N"},
    {"timing", "fast (answer at once) or realistic (batching model). Default realistic.", "MODE"},
    {"slots", "Concurrent running requests per instance (total_slots_num). Default 256.", "N"},
    {"kv-blocks", "KV blocks per instance (total_block_num). Default 4096.", "N"},
    {"block-size", "Tokens per KV block (block_size, 1..128). Default 128.", "N"},
    {"prefill-rate", "Prefill throughput in tokens per second. Default 8000.", "TOK_S"},
    {"prefill-chunk", "Prefill tokens per engine step. Default 2048.", "N"},
    {"decode-base-ms", "Decode step base time in ms. Default 6.", "MS"},
    {"decode-slope-ms", "Decode step time per running request in ms. Default 0.35.", "MS"},
    {"no-prefix-cache", "Disable the prefix cache. Default: enabled.", ""},
    {"ka-interval", "Seconds between ka: heartbeats on /dresult (must stay well below 30). Default 5.", "S"},
    {"metrics-file", "Serve PATH verbatim on instance ID's /metrics (repeatable). Default none.", "ID=PATH"},
    {"metrics-radix", "Add npu_radix_match_hit_num and all_radix_match_num families. Default off.", ""},
    {"register", "Coordinator manage URL to push POST /v1/instances/refresh to. Default none.", "URL"},
    {"register-interval", "Seconds between refresh pushes. Default 1.", "S"},
    {"print-refresh", "Print the refresh JSON and exit.", ""},
    {"fault-target", "Instance id the fault flags apply to; -1 = all. Default -1.", "ID"},
    {"crash-after", "Crash (close every socket) when request N+1 arrives; 0 = never. Default 0.", "N"},
    {"stall", "Accept inference requests and never answer. Default off.", ""},
    {"refuse", "Do not listen on the inference port (connection refused). Default off.", ""},
    {"error-rate", "Share of inference requests answered with HTTP 500 (0..1). Default 0.", "R"},
    {"slow-factor", "Multiply every engine step time. Default 1.", "F"},
    {"dresult-error-every", "Every K-th decode request ends with error: (0 = never). Default 0.", "K"},
    {"dresult-retry-every", "Every K-th decode request gets retry: (0 = never). Default 0.", "K"},
    {"drop-dresult-after", "Close /dresult streams after N messages (0 = never). Default 0.", "N"},
    {"quiet", "Only print the READY line and errors. Default off.", ""},
};

bool toInt(const QString& text, int minimum, int& out)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum)
        return false;
    out = value;
    return true;
}

bool toDouble(const QString& text, double minimum, double& out)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || value < minimum)
        return false;
    out = value;
    return true;
}

QString applyNumbers(const QCommandLineParser& parser, SimOptions& o)
{
    const struct
    {
        const char* name;
        int minimum;
        int* target;
    } ints[] = {{"single", 0, &o.singleCount},
                {"prefill", 0, &o.prefillCount},
                {"decode", 0, &o.decodeCount},
                {"groups", 1, &o.groups},
                {"base-port", 0, &o.basePort},
                {"default-output", 1, &o.defaultOutputTokens},
                {"max-output", 1, &o.maxOutputTokens},
                {"max-seq-len", 1, &o.maxSeqLen},
                {"slots", 1, &o.engine.slotCount},
                {"kv-blocks", 1, &o.engine.totalBlocks},
                {"block-size", 1, &o.engine.blockSize},
                {"prefill-chunk", 1, &o.engine.prefillChunkTokens},
                {"fault-target", -1, &o.faultTarget},
                {"crash-after", 0, &o.faults.crashAfter},
                {"dresult-error-every", 0, &o.faults.dresultErrorEvery},
                {"dresult-retry-every", 0, &o.faults.dresultRetryEvery},
                {"drop-dresult-after", 0, &o.faults.dropDresultAfter}};
    for (const auto& entry : ints) {
        const QString name = QLatin1String(entry.name);
        if (parser.isSet(name) && !toInt(parser.value(name), entry.minimum, *entry.target))
            return QStringLiteral("--%1 needs an integer >= %2").arg(name).arg(entry.minimum);
    }
    const struct
    {
        const char* name;
        double minimum;
        double* target;
    } doubles[] = {{"prefill-rate", 1, &o.engine.prefillTokensPerSecond},
                   {"decode-base-ms", 0, &o.engine.decodeBaseMs},
                   {"decode-slope-ms", 0, &o.engine.decodeSlopeMs},
                   {"ka-interval", 0.05, &o.kaIntervalSeconds},
                   {"register-interval", 0.05, &o.registerIntervalSeconds},
                   {"error-rate", 0, &o.faults.errorRate},
                   {"slow-factor", 0.001, &o.faults.slowFactor}};
    for (const auto& entry : doubles) {
        const QString name = QLatin1String(entry.name);
        if (parser.isSet(name) && !toDouble(parser.value(name), entry.minimum, *entry.target))
            return QStringLiteral("--%1 needs a number >= %2").arg(name).arg(entry.minimum);
    }
    if (o.faults.errorRate > 1)
        return QStringLiteral("--error-rate must be within 0..1");
    if (o.basePort > 65535 - 3 * o.instanceCount())
        return QStringLiteral("--base-port leaves no room for %1 instances").arg(o.instanceCount());
    if (o.engine.blockSize > 128)
        return QStringLiteral("--block-size must be within 1..128 (MindIE's limit)");
    return {};
}

} // namespace

OptionsResult parseOptions(const QStringList& arguments)
{
    OptionsResult result;
    SimOptions& o = result.options;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "mindie_sim: simulated MindIE Server instances (single, prefill, decode) for testing, benchmarking "
        "and demonstrating the MindIE-MS coordinator. See docs/mindie_sim.md."));
    parser.addHelpOption();
    parser.addVersionOption();
    for (const Flag& flag : kFlags) {
        QCommandLineOption option(QLatin1String(flag.name), QLatin1String(flag.help));
        if (*flag.valueName)
            option.setValueName(QLatin1String(flag.valueName));
        parser.addOption(option);
    }
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        result.exitNow = result.ok = true;
        return result;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::puts("mindie_sim 1.0.0");
        result.exitNow = result.ok = true;
        return result;
    }
    result.error = applyNumbers(parser, o);
    if (!result.error.isEmpty())
        return result;
    if (parser.isSet(QStringLiteral("host")))
        o.host = parser.value(QStringLiteral("host"));
    if (parser.isSet(QStringLiteral("model")))
        o.modelName = parser.value(QStringLiteral("model"));
    if (parser.isSet(QStringLiteral("seed")))
        o.seed = parser.value(QStringLiteral("seed")).toULongLong();
    const QString timing = parser.value(QStringLiteral("timing"));
    if (!timing.isEmpty() && timing != QLatin1String("fast") && timing != QLatin1String("realistic")) {
        result.error = QStringLiteral("--timing must be fast or realistic");
        return result;
    }
    o.engine.fast = timing == QLatin1String("fast");
    o.engine.prefixCache = !parser.isSet(QStringLiteral("no-prefix-cache"));
    o.singleContainer = parser.isSet(QStringLiteral("single-container"));
    o.metricsRadix = parser.isSet(QStringLiteral("metrics-radix"));
    o.printRefresh = parser.isSet(QStringLiteral("print-refresh"));
    o.quiet = parser.isSet(QStringLiteral("quiet"));
    o.faults.stall = parser.isSet(QStringLiteral("stall"));
    o.faults.refuse = parser.isSet(QStringLiteral("refuse"));
    o.registerUrl = parser.value(QStringLiteral("register"));
    for (const QString& entry : parser.values(QStringLiteral("metrics-file"))) {
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        bool ok = false;
        const int id = entry.left(equals).toInt(&ok);
        if (equals <= 0 || !ok || id < 0) {
            result.error = QStringLiteral("--metrics-file needs ID=PATH, got '%1'").arg(entry);
            return result;
        }
        o.metricsFiles.insert(id, entry.mid(equals + 1));
    }
    if (o.singleCount > 0 && (o.prefillCount > 0 || o.decodeCount > 0)) {
        result.error = QStringLiteral("use either --single or --prefill/--decode, not both");
        return result;
    }
    if (o.instanceCount() == 0) {
        result.error = QStringLiteral("no instances: give --single N or --prefill N --decode M");
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace mindiesim
