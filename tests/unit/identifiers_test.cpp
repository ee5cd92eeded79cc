#include <gtest/gtest.h>

#include "confrere/exchange/identifiers.h"

namespace confrere::exchange {
namespace {

TEST(InsKey, MainlandNir) {
  EXPECT_EQ(insKey("1850578006048"), 30);
  EXPECT_TRUE(checkIns("185057800604830").ok());
}

TEST(InsKey, CorsicaCountsAs19And18) {
  EXPECT_EQ(insKey("269092A123456"), 55);  // 2A -> 19
  EXPECT_EQ(insKey("269092B123456"), 82);  // 2B -> 18
  EXPECT_TRUE(checkIns("269092A12345655").ok());
}

TEST(InsKey, RejectsMalformedInput) {
  EXPECT_FALSE(insKey("185057800604").has_value());   // 12 characters
  EXPECT_FALSE(insKey("18505780060X8").has_value());  // letter outside 2A/2B
  const Status wrongKey = checkIns("185057800604831");
  ASSERT_FALSE(wrongKey.ok());
  EXPECT_NE(wrongKey.error().message.find("expected 30"), std::string::npos) << wrongKey.error().message;
  EXPECT_FALSE(checkIns("1850578006048").ok());
}

TEST(Rpps, ElevenDigits) {
  EXPECT_TRUE(checkRpps("10003456789").ok());
  EXPECT_FALSE(checkRpps("1000345678").ok());
  EXPECT_FALSE(checkRpps("1000345678A").ok());
  EXPECT_EQ(idNatPs("10003456789"), "810003456789");
}

}  // namespace
}  // namespace confrere::exchange
