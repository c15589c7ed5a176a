#pragma once

#include <QByteArray>

namespace coord::http {

// "HTTP/1.1 <status> <reason>\r\n". Unknown codes (an instance may answer any) get an empty
// reason, which HTTP/1.1 allows.
QByteArray statusLine(int status);
void appendStatusLine(QByteArray& out, int status);

} // namespace coord::http
