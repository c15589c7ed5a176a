#pragma once

#include <functional>

namespace coord::test {

// Runs the current thread's event loop in short nested turns until `condition` holds or
// `limitMs` passes (generous limits: the tests assert what happens, not how fast); returns the
// condition's last value.
bool waitUntil(const std::function<bool()>& condition, int limitMs = 10000, int stepMs = 5);

// Runs the current thread's event loop for `ms`.
void spinEventLoop(int ms);

} // namespace coord::test
