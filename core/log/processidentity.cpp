#include "processidentity.h"

#include <pwd.h>
#include <unistd.h>

#include <QString>
#include <QSysInfo>

namespace coord::log {

namespace {

QByteArray effectiveUserName()
{
    // getpwuid_r keeps this safe even if another thread is using the passwd database.
    passwd entry{};
    passwd* found = nullptr;
    char buffer[1024];
    if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found) {
        return QByteArray(found->pw_name);
    }
    return QByteArray::number(::geteuid());
}

} // namespace

const ProcessIdentity& ProcessIdentity::current()
{
    static const ProcessIdentity identity{::getpid(), QSysInfo::machineHostName().toUtf8(),
                                          effectiveUserName()};
    return identity;
}

qint64 currentThreadId()
{
    static thread_local const qint64 tid = ::gettid();
    return tid;
}

} // namespace coord::log
