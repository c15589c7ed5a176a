#include "tokenmodel.h"

#include <array>

namespace mindiesim::tokenmodel {

namespace {
constexpr quint64 kFnvPrime = 1099511628211ULL;
constexpr quint32 kVocabularyBase = 1000;

// A small vocabulary of plain words keeps the output readable in demos and easy to assert on.
constexpr std::array<const char*, 48> kWords = {
    "the",    "model",  "answers",     "with",          "a",       "simulated", "token",  "stream",
    "that",   "is",     "fully",       "deterministic", "for",     "each",      "prompt", "and",
    "seed",   "so",     "tests",       "can",           "compare", "every",     "byte",   "of",
    "it",     "while",  "routers",     "balance",       "load",    "across",    "many",   "instances",
    "prefix", "cache",  "blocks",      "decode",        "prefill", "batch",     "queue",  "latency",
    "ascend", "server", "coordinator", "request",       "reply",   "mindie",    "kv",     "slots"};

quint64 mix(quint64 value)
{
    // splitmix64 finaliser: spreads (seed, prompt, index) evenly over the vocabulary.
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}
} // namespace

quint64 fnv1a(const QByteArray& data, quint64 seed)
{
    quint64 hash = seed;
    for (const char byte : data) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= kFnvPrime;
    }
    return hash;
}

QList<quint32> tokenize(const QString& text)
{
    QList<quint32> tokens;
    tokens.reserve(text.size() / kCharsPerToken + 1);
    for (qsizetype pos = 0; pos < text.size(); pos += kCharsPerToken) {
        const QByteArray piece = text.mid(pos, kCharsPerToken).toUtf8();
        tokens.append(kVocabularyBase + quint32(fnv1a(piece) % 30000));
    }
    return tokens;
}

quint64 promptHash(const QList<quint32>& tokens)
{
    quint64 hash = 1469598103934665603ULL;
    for (const quint32 token : tokens)
        hash = (hash ^ token) * kFnvPrime;
    return hash;
}

OutputToken outputToken(quint64 seed, quint64 prompt, int index)
{
    const quint64 value = mix(seed ^ mix(prompt + quint64(index) * 0x632be59bd9b4e019ULL));
    const auto word = qsizetype(value % kWords.size());
    OutputToken token;
    token.id = kVocabularyBase + quint32(word);
    token.text = QLatin1Char(' ') + QLatin1String(kWords[size_t(word)]);
    return token;
}

QString outputText(quint64 seed, quint64 prompt, int count)
{
    QString text;
    for (int i = 0; i < count; ++i)
        text += outputToken(seed, prompt, i).text;
    return text;
}

QList<quint64> blockHashes(const QList<quint32>& tokens, int blockSize)
{
    QList<quint64> hashes;
    if (blockSize <= 0)
        return hashes;
    quint64 hash = 1469598103934665603ULL;
    const qsizetype fullBlocks = tokens.size() / blockSize;
    hashes.reserve(fullBlocks);
    for (qsizetype block = 0; block < fullBlocks; ++block) {
        for (qsizetype i = block * blockSize; i < (block + 1) * blockSize; ++i)
            hash = (hash ^ tokens[i]) * kFnvPrime;
        hashes.append(mix(hash));
    }
    return hashes;
}

} // namespace mindiesim::tokenmodel
