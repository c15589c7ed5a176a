// How much one mindie_sim process sustains in --timing fast: for each instance count, a client in
// this process keeps C keep-alive connections busy with streamed OpenAI chat requests spread over
// all instances, and reports requests/s and streamed tokens/s. Not run by ctest.
//
//   simthroughputbench [--instances 1,16,128,512] [--seconds 5] [--connections 32] [--tokens 16]
#include <cstdio>
#include <memory>
#include <vector>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "httptestclient.h"

using coordtest::HttpTestClient;

namespace {

struct Figures
{
    int instances = 0;
    quint64 requests = 0;
    quint64 tokens = 0;
    double seconds = 0;
    qint64 simRssKiB = 0;
};

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

Figures measure(const QString& binary, int instances, int seconds, int connections, int tokens)
{
    Figures figures;
    figures.instances = instances;
    QProcess sim;
    sim.start(binary,
              {"--single", QString::number(instances), "--timing", "fast", "--base-port", "0", "--quiet"});
    QByteArray output;
    HttpTestClient::waitUntil(
        [&] {
            output += sim.readAllStandardOutput();
            return output.contains('\n') || sim.state() == QProcess::NotRunning;
        },
        30000);
    const QJsonArray ports = QJsonDocument::fromJson(output.mid(output.indexOf("READY ") + 6).trimmed())
                                 .object()
                                 .value("instances")
                                 .toArray();
    if (ports.size() != instances) {
        std::fprintf(stderr, "simulator did not start\n");
        return figures;
    }
    const QByteArray body =
        R"({"messages":[{"role":"user","content":"benchmark prompt"}],"stream":true,"max_tokens":)" +
        QByteArray::number(tokens) + "}";
    std::vector<std::unique_ptr<HttpTestClient>> clients;
    QElapsedTimer clock;
    bool running = true;
    for (int i = 0; i < connections; ++i) {
        const quint16 port = quint16(ports.at(i % instances).toObject().value("port").toInt());
        auto client = std::make_unique<HttpTestClient>(QStringLiteral("127.0.0.1"), port);
        HttpTestClient* raw = client.get();
        QObject::connect(raw, &HttpTestClient::responseComplete, raw, [&, raw] {
            ++figures.requests;
            figures.tokens += quint64(raw->response().chunks.size());
            if (running)
                QMetaObject::invokeMethod(
                    raw, [raw, &body] { raw->send("POST", "/v1/chat/completions", body); },
                    Qt::QueuedConnection);
        });
        clients.push_back(std::move(client));
    }
    clock.start();
    for (auto& client : clients)
        client->send("POST", "/v1/chat/completions", body);
    HttpTestClient::waitUntil([&] { return clock.elapsed() >= seconds * 1000; }, seconds * 1000 + 1000);
    running = false;
    figures.seconds = double(clock.elapsed()) / 1000.0;
    figures.simRssKiB = residentKiB(sim.processId());
    clients.clear();
    sim.kill();
    sim.waitForFinished(5000);
    return figures;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{"instances", "Comma-separated instance counts.", "LIST", "1,16,128,512"},
                       {"seconds", "Seconds per measurement.", "S", "5"},
                       {"connections", "Concurrent keep-alive client connections.", "C", "32"},
                       {"tokens", "max_tokens per request.", "N", "16"},
                       {"binary", "mindie_sim to run.", "PATH",
                        QCoreApplication::applicationDirPath() + QStringLiteral("/mindie_sim")}});
    parser.addHelpOption();
    parser.process(app);
    std::printf("%10s %12s %14s %12s %10s\n", "instances", "requests/s", "tokens/s", "connections",
                "sim RSS");
    for (const QString& count : parser.value("instances").split(QLatin1Char(','))) {
        const Figures f = measure(parser.value("binary"), count.toInt(), parser.value("seconds").toInt(),
                                  parser.value("connections").toInt(), parser.value("tokens").toInt());
        std::printf("%10d %12.0f %14.0f %12d %7lld MiB\n", f.instances, double(f.requests) / f.seconds,
                    double(f.tokens) / f.seconds, parser.value("connections").toInt(), f.simRssKiB / 1024);
        std::fflush(stdout);
    }
    return 0;
}
