// Shared gtest entry point: every test binary gets a QCoreApplication so that Qt event loops,
// timers and sockets work inside tests.
#include <gtest/gtest.h>

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
