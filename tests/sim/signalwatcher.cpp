#include "signalwatcher.h"

#include <csignal>
#include <unistd.h>

#include <sys/socket.h>

namespace mindiesim {

namespace {
int g_pipe[2] = {-1, -1};

extern "C" void forwardSignal(int signalNumber)
{
    const char byte = char(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[0], &byte, 1);
}
} // namespace

SignalWatcher::SignalWatcher(QObject* parent) : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) != 0)
        return;
    m_notifier = new QSocketNotifier(g_pipe[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::onReadable);
    struct sigaction action = {};
    action.sa_handler = forwardSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signalNumber : {SIGUSR1, SIGINT, SIGTERM})
        ::sigaction(signalNumber, &action, nullptr);
}

SignalWatcher::~SignalWatcher()
{
    for (const int signalNumber : {SIGUSR1, SIGINT, SIGTERM})
        std::signal(signalNumber, SIG_DFL);
}

void SignalWatcher::onReadable()
{
    char byte = 0;
    if (::read(g_pipe[1], &byte, 1) != 1)
        return;
    if (byte == SIGUSR1)
        emit crashRequested();
    else
        emit quitRequested();
}

} // namespace mindiesim
