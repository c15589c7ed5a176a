#pragma once

#include <QObject>
#include <QSocketNotifier>

namespace mindiesim {

// Turns POSIX signals into Qt signals with the self-pipe trick: the handler only write()s the
// signal number; the event loop does the work. SIGUSR1 = crash every instance; SIGINT/SIGTERM = quit.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void crashRequested();
    void quitRequested();

private:
    void onReadable();
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace mindiesim
