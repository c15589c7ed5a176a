#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace mindiesim {

// The deterministic stand-in for a tokenizer and a model: prompt text becomes one token per
// kCharsPerToken characters, and output token i depends only on (seed, prompt, i). Both P and D
// instances derive the same tokens, so a P->D handoff yields the same text as a single instance.
namespace tokenmodel {

inline constexpr int kCharsPerToken = 4;

QList<quint32> tokenize(const QString& text);
quint64 promptHash(const QList<quint32>& tokens);

struct OutputToken
{
    quint32 id = 0;
    QString text;
};
OutputToken outputToken(quint64 seed, quint64 promptHash, int index);
// Concatenated text of tokens [0, count).
QString outputText(quint64 seed, quint64 promptHash, int count);

// Chained hashes of the full blocks of a prompt: hash i covers tokens [0, (i+1)*blockSize).
QList<quint64> blockHashes(const QList<quint32>& tokens, int blockSize);

quint64 fnv1a(const QByteArray& data, quint64 seed = 1469598103934665603ULL);

} // namespace tokenmodel
} // namespace mindiesim
