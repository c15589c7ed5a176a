#pragma once

#include <QObject>

class QSocketNotifier;

namespace coord {

// Turns SIGINT, SIGTERM and SIGQUIT into a Qt signal on the thread that created the watcher.
// A signal handler may only call async-signal-safe functions, so the handler just writes the
// signal number into a socket pair and a QSocketNotifier reads it inside the event loop.
// Create at most one per process.
class PosixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit PosixSignalWatcher(QObject* parent = nullptr);
    ~PosixSignalWatcher() override;

signals:
    void stopRequested(int signalNumber);

private:
    void readSignal();
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace coord
