// Route patterns match the whole target the way MindIE's router does.
#include "util/globpattern.h"

#include <gtest/gtest.h>

using coord::GlobPattern;

namespace {

struct Row
{
    const char* pattern;
    const char* target;
    bool matches;
};

void PrintTo(const Row& row, std::ostream* out)
{
    *out << row.pattern << " vs " << row.target;
}

class GlobPatternTest : public ::testing::TestWithParam<Row>
{
};

TEST_P(GlobPatternTest, MatchesTheWholeTarget)
{
    const Row& row = GetParam();
    EXPECT_EQ(GlobPattern(row.pattern).matches(row.target), row.matches) << row.pattern << " vs " << row.target;
}

const Row kRows[] = {
    {"/generate", "/generate", true},
    {"/generate", "/generate?x=1", false}, // the query is part of the target
    {"/generate", "/generate_stream", false},
    {"/v2/models/*/generate", "/v2/models/llama/generate", true},
    {"/v2/models/*/generate", "/v2/models/a/b/generate", true}, // '*' crosses '/'
    {"/v2/models/*/generate", "/v2/models//generate", true},
    {"/v2/models/*/generate", "/v2/models/llama/generate_stream", false},
    {"/v1/instances/tasks?*", "/v1/instances/tasks?id=1&id=2", true},
    {"/a?c", "/abc", true},
    {"/a?c", "/ac", false},
    {"*", "", true},
    {"/x*y*z", "/xaaybbz", true},
    {"/x*y*z", "/xaaybb", false},
};

INSTANTIATE_TEST_SUITE_P(Patterns, GlobPatternTest, ::testing::ValuesIn(kRows));

TEST(GlobPatternLimitTest, TargetsLongerThan4096NeverMatch)
{
    EXPECT_TRUE(GlobPattern("/*").matches("/" + QByteArray(4095, 'a')));
    EXPECT_FALSE(GlobPattern("/*").matches("/" + QByteArray(4096, 'a')));
}

TEST(GlobPatternLimitTest, PathologicalPatternStaysFast)
{
    // Exponential backtracking would never finish this; the linear matcher answers at once.
    EXPECT_FALSE(GlobPattern("*a*a*a*a*a*a*a*a*b").matches(QByteArray(4000, 'a')));
}

} // namespace
