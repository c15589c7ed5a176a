#pragma once

#include <QByteArray>

namespace coord::log {

// Facts about the running process that appear on every log line. They never change while the
// process runs, so they are looked up once.
struct ProcessIdentity
{
    qint64 pid = 0;
    QByteArray hostname;
    QByteArray user;

    static const ProcessIdentity& current();
};

// Kernel thread id of the calling thread (what `top -H` and gdb show), cached per thread.
qint64 currentThreadId();

} // namespace coord::log
