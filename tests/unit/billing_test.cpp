// Billing rules (tariffs by date, yearly cap, no combination, eligibility,
// unconfirmed rules, 20 % counter) and the SQLite ledger.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "confrere/exchange/billing.h"
#include "confrere/exchange/ledger.h"

namespace confrere::exchange {
namespace {

namespace fs = std::filesystem;

constexpr const char* kExpert = "10003456789";
constexpr const char* kOtherExpert = "10003456790";
constexpr const char* kRequester = "10101010101";
constexpr const char* kInsA = "185057800604830";  // valid key (see identifiers_test)
constexpr const char* kInsCorsica = "269092A12345655";

Date d(const char* text) {
  Result<Date> r = parseDate(text);
  if (!r) throw std::logic_error(r.error().message);
  return *r;
}

std::string insKeyOf(const char* ins) {
  return patientKeyFromIns(ins).value();
}
std::string localKey(const char* id) {
  return patientKeyFromLocalId(id).value();
}

ActRequest te2(const char* date, const std::string& patient, const char* rpps = kExpert) {
  ActRequest r;
  r.act = Act::TE2;
  r.date = d(date);
  r.practitioner = {rpps, Profession::Doctor, "14", ""};
  r.patientKey = patient;
  r.counterpart = Counterpart{kRequester, ""};
  return r;
}

ActRequest rqd(const char* date, Profession profession, const std::string& patient) {
  ActRequest r;
  r.act = Act::RQD;
  r.date = d(date);
  r.practitioner = {kRequester, profession, profession == Profession::Doctor ? "01" : "", ""};
  r.patientKey = patient;
  r.counterpart = Counterpart{kExpert, ""};
  return r;
}

bool hasFinding(const Evaluation& e, std::string_view rule, Severity severity) {
  for (const Finding& f : e.findings) {
    if (f.rule == rule && f.severity == severity) return true;
  }
  return false;
}

std::string describe(const Evaluation& e) {
  std::string s = std::string("billable=") + (e.billable ? "1" : "0") + " amount=" + std::to_string(e.amountCents);
  for (const Finding& f : e.findings)
    s += "\n  [" + std::string(toString(f.severity)) + "] " + f.rule + ": " + f.message;
  return s;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A fresh folder per test, removed afterwards.
class BillingLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = fs::temp_directory_path() / ("confrere-billing-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path ledgerPath() const { return m_dir / "ledger.sqlite"; }
  Ledger openLedger() {
    Result<Ledger> l = Ledger::open(ledgerPath());
    if (!l) throw std::logic_error(l.error().message);
    return std::move(l).value();
  }
  fs::path m_dir;
};

// --- Dates and names ---------------------------------------------------------

TEST(BillingDate, ParsesRealDaysOnly) {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {{"2026-01-01", true},  {"2024-02-29", true},  {"2025-02-29", false}, {"2025-13-01", false},
                        {"2025-00-10", false}, {"2025-04-31", false}, {"20250101", false},   {"2025-1-01", false},
                        {"2025-01-0a", false}, {"", false},           {"1899-12-31", false}};
  for (const Case& c : cases) {
    Result<Date> r = parseDate(c.text);
    EXPECT_EQ(r.ok(), c.ok) << c.text;
    if (!r.ok()) {
      EXPECT_TRUE(contains(r.error().message, "YYYY-MM-DD")) << r.error().message;
      EXPECT_TRUE(contains(r.error().message, std::string("'") + c.text + "'")) << r.error().message;
    }
  }
  EXPECT_EQ(toString(d("2026-01-01")), "2026-01-01");
  EXPECT_LT(d("2025-12-31"), d("2026-01-01"));
}

TEST(BillingNames, UnknownActListsTheValidOnes) {
  Result<Act> act = parseAct("TE3");
  ASSERT_FALSE(act.ok());
  EXPECT_TRUE(contains(act.error().message, "'TE3'")) << act.error().message;
  EXPECT_TRUE(contains(act.error().message, "RQD, TE1, TE2")) << act.error().message;
  EXPECT_EQ(parseAct("te2").value(), Act::TE2);

  Result<Profession> p = parseProfession("astronaut");
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(contains(p.error().message, "physiotherapist")) << p.error().message;
  EXPECT_EQ(parseProfession("kine").value(), Profession::Physiotherapist);
  EXPECT_EQ(parseProfession("Sage-Femme").value(), Profession::Midwife);
  EXPECT_EQ(parseProfession("IDE").value(), Profession::Nurse);
}

// --- Rule table ----------------------------------------------------------------

TEST(BillingRules, TariffIntervalsOfOneActAndRoleDoNotOverlap) {
  const auto rules = tariffRules();
  ASSERT_FALSE(rules.empty());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].validTo) {
      EXPECT_LE(rules[i].validFrom, *rules[i].validTo) << rules[i].id;
    }
    EXPECT_GT(rules[i].mainlandCents, 0) << rules[i].id;
    EXPECT_FALSE(rules[i].eligible.empty()) << rules[i].id;
    for (std::size_t j = i + 1; j < rules.size(); ++j) {
      if (rules[i].act != rules[j].act || rules[i].role != rules[j].role) continue;
      const bool iBeforeJ = rules[i].validTo && *rules[i].validTo < rules[j].validFrom;
      const bool jBeforeI = rules[j].validTo && *rules[j].validTo < rules[i].validFrom;
      EXPECT_TRUE(iBeforeJ || jBeforeI) << rules[i].id << " overlaps " << rules[j].id;
    }
  }
}

TEST(BillingPrice, Te2ChangesOnFirstJanuary2026) {
  struct Case {
    const char* date;
    bool overseas;
    std::int64_t cents;
  };
  const Case cases[] = {{"2022-04-01", false, 2000}, {"2025-12-31", false, 2000}, {"2026-01-01", false, 2300},
                        {"2030-06-15", false, 2300}, {"2025-12-31", true, 2400},  {"2026-01-01", true, 2760}};
  for (const Case& c : cases) {
    Result<PriceQuote> q = price(Act::TE2, d(c.date), c.overseas);
    ASSERT_TRUE(q.ok()) << c.date << ": " << q.error().message;
    EXPECT_EQ(q->amountCents, c.cents) << c.date << (c.overseas ? " overseas" : "");
    EXPECT_EQ(q->role, Role::Expert);
  }
}

TEST(BillingPrice, RqdMainlandAndOverseas) {
  EXPECT_EQ(price(Act::RQD, d("2022-04-01"), false)->amountCents, 1000);
  EXPECT_EQ(price(Act::RQD, d("2026-03-10"), false)->amountCents, 1000);
  EXPECT_EQ(price(Act::RQD, d("2026-03-10"), true)->amountCents, 1200);
  EXPECT_EQ(price("rqd", d("2024-07-01"), true)->amountCents, 1200);
  Result<PriceQuote> asExpert = price(Act::RQD, d("2024-07-01"), false, Role::Expert);
  ASSERT_FALSE(asExpert.ok());
  EXPECT_TRUE(contains(asExpert.error().message, "requester")) << asExpert.error().message;
}

TEST(BillingPrice, Te1BeforeTheReformAndNoTe2Before) {
  EXPECT_EQ(price(Act::TE1, d("2019-02-10"), false)->amountCents, 1200);
  EXPECT_EQ(price(Act::TE1, d("2022-03-31"), false)->amountCents, 1200);
  EXPECT_EQ(price(Act::TE1, d("2021-06-01"), false, Role::Requester)->amountCents, 500);
  // No DROM amount for TE1 in the table: mainland amount with a note.
  Result<PriceQuote> overseas = price(Act::TE1, d("2021-06-01"), true);
  ASSERT_TRUE(overseas.ok());
  EXPECT_EQ(overseas->amountCents, 1200);
  EXPECT_EQ(overseas->notes.size(), 1U);

  Result<PriceQuote> te2Early = price(Act::TE2, d("2022-03-31"), false);
  ASSERT_FALSE(te2Early.ok());
  EXPECT_EQ(te2Early.error().code, ErrorCode::NotFound);
  EXPECT_TRUE(contains(te2Early.error().message, "from 2022-04-01")) << te2Early.error().message;

  Result<PriceQuote> rqdEarly = price(Act::RQD, d("2021-01-01"), false);
  ASSERT_FALSE(rqdEarly.ok());
  EXPECT_TRUE(contains(rqdEarly.error().message, "from 2022-04-01")) << rqdEarly.error().message;

  Result<PriceQuote> te1Late = price(Act::TE1, d("2022-04-01"), false);
  ASSERT_FALSE(te1Late.ok());
  EXPECT_TRUE(contains(te1Late.error().message, "2022-03-31")) << te1Late.error().message;

  Result<PriceQuote> te1Early = price(Act::TE1, d("2019-02-09"), false);
  ASSERT_FALSE(te1Early.ok());
  EXPECT_TRUE(contains(te1Early.error().message, "from 2019-02-10")) << te1Early.error().message;

  Result<PriceQuote> unknown = price("XYZ", d("2026-01-01"), false);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(contains(unknown.error().message, "RQD, TE1, TE2")) << unknown.error().message;
}

// --- Evaluation ------------------------------------------------------------------

TEST(BillingEvaluate, BillableTe2CarriesTheTariff) {
  Result<Evaluation> e = evaluate(te2("2026-01-01", insKeyOf(kInsA)));
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_TRUE(e->billable) << describe(*e);
  EXPECT_EQ(e->amountCents, 2300);
  EXPECT_EQ(e->rule->id, "TE2-2026");
}

TEST(BillingEvaluate, FifthActOfTheYearIsNotBillable) {
  LedgerCounters counters;
  counters.billableActsThisYear = 3;
  Result<Evaluation> fourth = evaluate(te2("2025-06-01", insKeyOf(kInsA)), counters);
  ASSERT_TRUE(fourth.ok());
  EXPECT_TRUE(fourth->billable) << describe(*fourth);

  counters.billableActsThisYear = 4;
  Result<Evaluation> fifth = evaluate(te2("2025-06-01", insKeyOf(kInsA)), counters);
  ASSERT_TRUE(fifth.ok()) << "the act must not be refused";
  EXPECT_FALSE(fifth->billable);
  EXPECT_EQ(fifth->amountCents, 0);
  EXPECT_EQ(fifth->tariffCents, 2000);
  EXPECT_TRUE(hasFinding(*fifth, rule::kYearlyCap, Severity::Blocking)) << describe(*fifth);
}

TEST(BillingEvaluate, Te2CannotBeCombined) {
  ActRequest r = te2("2026-02-02", insKeyOf(kInsA));
  r.otherActsSameDay = {"G"};
  Result<Evaluation> e = evaluate(r);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->billable);
  ASSERT_TRUE(hasFinding(*e, rule::kNoCombination, Severity::Blocking)) << describe(*e);
  EXPECT_TRUE(contains(e->findings.front().message, "G")) << describe(*e);

  // RQD is not exclusive by itself...
  ActRequest q = rqd("2026-02-02", Profession::Doctor, insKeyOf(kInsA));
  q.otherActsSameDay = {"G"};
  EXPECT_TRUE(evaluate(q)->billable);
  // ...but not with a TE2 of the same practitioner that day.
  q.otherActsSameDay = {"TE2"};
  EXPECT_FALSE(evaluate(q)->billable);
}

TEST(BillingEvaluate, EligibilityByProfession) {
  struct Case {
    Act act;
    Profession profession;
    const char* date;
    bool billable;
  };
  const Case cases[] = {
      {Act::RQD, Profession::Doctor, "2024-05-01", true},
      {Act::RQD, Profession::Midwife, "2024-05-01", true},
      {Act::RQD, Profession::Physiotherapist, "2024-05-01", true},
      {Act::RQD, Profession::Nurse, "2024-05-01", true},
      {Act::RQD, Profession::AdvancedPracticeNurse, "2024-05-01", true},
      {Act::RQD, Profession::SpeechTherapist, "2024-05-01", true},
      {Act::RQD, Profession::Podiatrist, "2024-05-01", true},
      {Act::RQD, Profession::Pharmacist, "2024-05-01", false},
      {Act::RQD, Profession::Dentist, "2024-05-01", false},
      {Act::TE2, Profession::Doctor, "2024-05-01", true},
      {Act::TE2, Profession::Midwife, "2024-05-01", true},
      {Act::TE2, Profession::Nurse, "2024-05-01", false},
      {Act::TE2, Profession::Physiotherapist, "2024-05-01", false},
      {Act::TE1, Profession::Physiotherapist, "2021-05-01", false},
      {Act::TE1, Profession::Doctor, "2021-05-01", true},
  };
  for (const Case& c : cases) {
    ActRequest r = c.act == Act::RQD ? rqd(c.date, c.profession, insKeyOf(kInsA)) : te2(c.date, insKeyOf(kInsA));
    r.act = c.act;
    r.practitioner.profession = c.profession;
    r.practitioner.specialtyCode.clear();
    Result<Evaluation> e = evaluate(r);
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_EQ(e->billable, c.billable) << toString(c.act) << " by " << toString(c.profession) << ": " << describe(*e);
    if (!c.billable) {
      ASSERT_TRUE(hasFinding(*e, rule::kEligibility, Severity::Blocking)) << describe(*e);
      EXPECT_TRUE(contains(e->findings.front().message, toString(c.profession))) << describe(*e);
    }
  }
}

TEST(BillingEvaluate, UnconfirmedRulesWarnAndCanBeEnforced) {
  // Same MSP: a warning by default, billable.
  ActRequest r = te2("2026-03-03", insKeyOf(kInsA));
  r.practitioner.structureId = "MSP-42";
  r.counterpart->structureId = "MSP-42";
  Result<Evaluation> warned = evaluate(r);
  ASSERT_TRUE(warned.ok());
  EXPECT_TRUE(warned->billable) << describe(*warned);
  EXPECT_TRUE(hasFinding(*warned, rule::kSameMsp, Severity::Warning)) << describe(*warned);

  BillingConfig enforce;
  ASSERT_TRUE(enforce.apply("same-msp=enforce").ok());
  Result<Evaluation> enforced = evaluate(r, {}, enforce);
  EXPECT_FALSE(enforced->billable);
  EXPECT_TRUE(hasFinding(*enforced, rule::kSameMsp, Severity::Blocking)) << describe(*enforced);

  BillingConfig off;
  ASSERT_TRUE(off.set(rule::kSameMsp, RuleMode::Off).ok());
  Result<Evaluation> silent = evaluate(r, {}, off);
  EXPECT_TRUE(silent->billable);
  EXPECT_FALSE(hasFinding(*silent, rule::kSameMsp, Severity::Warning));

  // Different structures: no finding at all.
  r.counterpart->structureId = "MSP-7";
  EXPECT_FALSE(hasFinding(*evaluate(r), rule::kSameMsp, Severity::Warning));

  // Two a year for a physiotherapist: warning at the third, enforced on demand.
  LedgerCounters two;
  two.billableActsThisYear = 2;
  ActRequest k = rqd("2025-09-09", Profession::Physiotherapist, insKeyOf(kInsA));
  Result<Evaluation> third = evaluate(k, two);
  EXPECT_TRUE(third->billable) << describe(*third);
  EXPECT_TRUE(hasFinding(*third, rule::kTwoPerYear, Severity::Warning)) << describe(*third);
  BillingConfig strict;
  ASSERT_TRUE(strict.apply("two-per-year=enforce, same-msp=warn").ok());
  EXPECT_FALSE(evaluate(k, two, strict)->billable);
  // A doctor is not concerned.
  EXPECT_FALSE(hasFinding(*evaluate(rqd("2025-09-09", Profession::Doctor, insKeyOf(kInsA)), two), rule::kTwoPerYear,
                          Severity::Warning));
}

TEST(BillingEvaluate, ConfirmedRulesCannotBeSwitched) {
  BillingConfig config;
  Status s = config.set(rule::kYearlyCap, RuleMode::Off);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.error().message, "confirmed")) << s.error().message;
  EXPECT_TRUE(contains(s.error().message, "same-msp")) << s.error().message;
  EXPECT_FALSE(config.apply("nonsense=off").ok());
  // All or nothing: a bad item leaves the earlier ones unapplied.
  EXPECT_FALSE(config.apply("same-msp=enforce,two-per-year=sometimes").ok());
  EXPECT_EQ(config.modeFor(rule::kSameMsp), RuleMode::Warn);
  EXPECT_EQ(config.modeFor(rule::kYearlyCap), RuleMode::Enforce);
}

TEST(BillingEvaluate, RemoteShareCountedByDate) {
  LedgerCounters c;
  c.remoteActsThisYear = 20;
  c.totalActivityThisYear = 100;
  // 2024: téléexpertise still counted; the 21st remote act of 100 is above 20 %.
  Result<Evaluation> in2024 = evaluate(te2("2024-10-01", insKeyOf(kInsA)), c);
  EXPECT_TRUE(in2024->countsAsRemote);
  EXPECT_TRUE(in2024->billable) << "the 20 % rule warns, it does not block";
  EXPECT_TRUE(hasFinding(*in2024, rule::kRemoteShare, Severity::Warning)) << describe(*in2024);
  // 2026: not counted under the 2024-2029 convention.
  Result<Evaluation> in2026 = evaluate(te2("2026-10-01", insKeyOf(kInsA)), c);
  EXPECT_FALSE(in2026->countsAsRemote);
  EXPECT_FALSE(hasFinding(*in2026, rule::kRemoteShare, Severity::Warning)) << describe(*in2026);
  EXPECT_TRUE(hasFinding(*in2026, rule::kRemoteShare, Severity::Info)) << describe(*in2026);
  EXPECT_TRUE(teleexpertiseCountsAsRemote(d("2024-12-31")));
  EXPECT_FALSE(teleexpertiseCountsAsRemote(d("2025-01-01")));
  // The requester's RQD never counts.
  EXPECT_FALSE(evaluate(rqd("2024-10-01", Profession::Doctor, insKeyOf(kInsA)), c)->countsAsRemote);
}

TEST(BillingEvaluate, MalformedInputIsAnError) {
  ActRequest badRpps = te2("2026-01-05", insKeyOf(kInsA), "1234");
  Result<Evaluation> e1 = evaluate(badRpps);
  ASSERT_FALSE(e1.ok());
  EXPECT_TRUE(contains(e1.error().message, "'1234'")) << e1.error().message;
  EXPECT_TRUE(contains(e1.error().message, "11 digits")) << e1.error().message;

  ActRequest self = te2("2026-01-05", insKeyOf(kInsA));
  self.counterpart->rpps = kExpert;
  EXPECT_FALSE(evaluate(self).ok());

  ActRequest badPatient = te2("2026-01-05", "INS:185057800604831");
  EXPECT_FALSE(evaluate(badPatient).ok());
  EXPECT_FALSE(patientKeyFromIns("185057800604831").ok());
  EXPECT_FALSE(patientKeyFromLocalId("a b").ok());
  EXPECT_FALSE(checkPatientKey("185057800604830").ok());
  EXPECT_EQ(insKeyOf("269092a12345655"), std::string("INS:") + kInsCorsica);

  ActRequest badSpecialty = te2("2026-01-05", insKeyOf(kInsA));
  badSpecialty.practitioner.specialtyCode = "GP";
  EXPECT_FALSE(evaluate(badSpecialty).ok());

  ActRequest tooEarly = te2("2021-01-05", insKeyOf(kInsA));
  Result<Evaluation> e2 = evaluate(tooEarly);
  ASSERT_FALSE(e2.ok());
  EXPECT_TRUE(contains(e2.error().message, "2022-04-01")) << e2.error().message;
}

// --- Ledger -------------------------------------------------------------------------

TEST_F(BillingLedgerTest, YearlyCapPerPatientPerExpertPerYear) {
  Ledger ledger = openLedger();
  const std::string a = insKeyOf(kInsA);
  const std::string b = localKey("dossier-0042");
  const char* days[] = {"2025-01-10", "2025-03-10", "2025-05-10", "2025-07-10", "2025-09-10"};
  std::vector<LedgerEntry> entries;
  for (const char* day : days) {
    Result<LedgerEntry> e = ledger.record(te2(day, a));
    ASSERT_TRUE(e.ok()) << e.error().message;
    entries.push_back(*e);
  }
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(entries[i].billable) << i;
  EXPECT_FALSE(entries[4].billable);
  EXPECT_EQ(entries[4].amountCents, 0);
  ASSERT_FALSE(entries[4].findings.empty());
  EXPECT_EQ(entries[4].findings.front().rule, rule::kYearlyCap);

  // The 5th act of this expert, but the first for another patient: billable.
  Result<LedgerEntry> otherPatient = ledger.record(te2("2025-11-10", b));
  ASSERT_TRUE(otherPatient.ok());
  EXPECT_TRUE(otherPatient->billable);
  // Same patient, next year: billable (new tariff too).
  Result<LedgerEntry> nextYear = ledger.record(te2("2026-01-10", a));
  ASSERT_TRUE(nextYear.ok());
  EXPECT_TRUE(nextYear->billable);
  EXPECT_EQ(nextYear->amountCents, 2300);
  // Same patient, same year, another expert: billable.
  Result<LedgerEntry> otherExpert = ledger.record(te2("2025-11-11", a, kOtherExpert));
  ASSERT_TRUE(otherExpert.ok());
  EXPECT_TRUE(otherExpert->billable);

  Result<std::vector<YearlyCounter>> c2025 = ledger.counters({2025, kExpert});
  ASSERT_TRUE(c2025.ok());
  ASSERT_EQ(c2025->size(), 2U);
  const YearlyCounter& forA = (*c2025)[0].patientKey == a ? (*c2025)[0] : (*c2025)[1];
  EXPECT_EQ(forA.acts, 5);
  EXPECT_EQ(forA.billableActs, 4);
  EXPECT_EQ(forA.amountCents, 4 * 2000);
  EXPECT_EQ(ledger.counters({2026, ""})->size(), 1U);
  EXPECT_EQ(ledger.acts({2025, ""})->size(), 7U);
  EXPECT_EQ(ledger.acts({})->size(), 8U);
}

TEST_F(BillingLedgerTest, SameDayActsAreNotCombined) {
  Ledger ledger = openLedger();
  const std::string a = insKeyOf(kInsA);
  Result<LedgerEntry> first = ledger.record(te2("2026-04-01", a), "case-1");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->billable);
  Result<LedgerEntry> second = ledger.record(te2("2026-04-01", a), "case-2");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->billable);
  ASSERT_FALSE(second->findings.empty());
  EXPECT_EQ(second->findings.front().rule, rule::kNoCombination);
  // Another day is fine.
  EXPECT_TRUE(ledger.record(te2("2026-04-02", a), "case-3")->billable);
}

TEST_F(BillingLedgerTest, PersistsAcrossReopenInWalMode) {
  {
    Ledger ledger = openLedger();
    ASSERT_TRUE(ledger.record(te2("2026-01-02", insKeyOf(kInsA)), "case-77").ok());
    ASSERT_TRUE(ledger.record(rqd("2026-01-02", Profession::Physiotherapist, localKey("P-1"))).ok());
    ASSERT_TRUE(ledger.setYearlyActivity(kExpert, 2026, 1000).ok());
  }
  EXPECT_TRUE(fs::exists(ledgerPath()));
  Ledger reopened = openLedger();
  Result<std::vector<LedgerEntry>> acts = reopened.acts();
  ASSERT_TRUE(acts.ok());
  ASSERT_EQ(acts->size(), 2U);
  const LedgerEntry& e = (*acts)[0];
  EXPECT_EQ(e.act, Act::TE2);
  EXPECT_EQ(toString(e.date), "2026-01-02");
  EXPECT_EQ(e.practitionerRpps, kExpert);
  EXPECT_EQ(e.counterpartRpps, kRequester);
  EXPECT_EQ(e.patientKey, insKeyOf(kInsA));
  EXPECT_EQ(e.amountCents, 2300);
  EXPECT_TRUE(e.billable);
  EXPECT_EQ(e.caseId, "case-77");
  EXPECT_EQ(e.specialtyCode, "14");
  EXPECT_FALSE(e.recordedAt.empty());
  EXPECT_EQ((*acts)[1].act, Act::RQD);
  EXPECT_EQ((*acts)[1].profession, Profession::Physiotherapist);
  EXPECT_EQ((*acts)[1].amountCents, 1000);

  Result<std::vector<RemoteActivity>> remote = reopened.remoteActivity({2026, kExpert});
  ASSERT_TRUE(remote.ok());
  ASSERT_EQ(remote->size(), 1U);
  EXPECT_EQ((*remote)[0].totalActivity, 1000);
  EXPECT_EQ((*remote)[0].remoteActs, 0);  // 2026: téléexpertise not counted

  // WAL mode: the -wal file sits beside the database while it is open.
  EXPECT_TRUE(fs::exists(ledgerPath().string() + "-wal"));
  // The header says WAL (file format bytes 18-19 are 2 in WAL mode).
  std::ifstream raw(ledgerPath(), std::ios::binary);
  char header[20] = {};
  raw.read(header, sizeof header);
  EXPECT_EQ(header[18], 2);
  EXPECT_EQ(header[19], 2);
}

TEST_F(BillingLedgerTest, ExportsCsvAndJsonWithTheDocumentedColumns) {
  Ledger ledger = openLedger();
  ActRequest overseas = te2("2026-05-05", insKeyOf(kInsA));
  overseas.overseas = true;
  ASSERT_TRUE(ledger.record(overseas, "case,with\"quote").ok());
  ASSERT_TRUE(ledger.record(rqd("2025-05-05", Profession::Doctor, localKey("L-9"))).ok());
  ActRequest combined = te2("2026-05-06", localKey("L-9"));
  combined.otherActsSameDay = {"G"};
  ASSERT_FALSE(ledger.record(combined)->billable);

  const std::vector<std::string> columns = exportColumns();
  std::string header;
  for (const std::string& c : columns) header += (header.empty() ? "" : ",") + c;
  EXPECT_EQ(header,
            "act_id,act_date,act_code,role,practitioner_rpps,practitioner_idnat,profession,specialty_code,"
            "counterpart_rpps,patient_ins,patient_key,overseas,amount_cents,amount_eur,billable,case_id,warnings");

  Result<std::string> csv = ledger.exportActs(ExportFormat::Csv, {2026, ""});
  ASSERT_TRUE(csv.ok());
  std::istringstream lines(*csv);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\r');
    rows.push_back(line.substr(0, line.size() - 1));
  }
  ASSERT_EQ(rows.size(), 2U) << *csv;  // header + the billable 2026 act
  EXPECT_EQ(rows[0], header);
  EXPECT_EQ(rows[1], std::string("1,2026-05-05,TE2,expert,") + kExpert + ",8" + kExpert + ",doctor,14," + kRequester +
                         "," + kInsA + ",INS:" + kInsA + ",1,2760,27.60,1,\"case,with\"\"quote\",");

  Result<std::string> all = ledger.exportActs(ExportFormat::Csv, {}, true);
  EXPECT_EQ(std::count(all->begin(), all->end(), '\n'), 4);

  Result<std::string> json = ledger.exportActs(ExportFormat::Json, {2026, ""}, true);
  ASSERT_TRUE(json.ok());
  const nlohmann::json doc = nlohmann::json::parse(*json);
  EXPECT_EQ(doc["format"], "confrere-fse");
  EXPECT_EQ(doc["year"], 2026);
  EXPECT_EQ(doc["columns"].get<std::vector<std::string>>(), columns);
  ASSERT_EQ(doc["acts"].size(), 2U);
  for (const auto& act : doc["acts"]) {
    for (const std::string& c : columns) EXPECT_TRUE(act.contains(c)) << c;
    EXPECT_EQ(act.size(), columns.size());
  }
  EXPECT_EQ(doc["acts"][0]["amount_cents"], 2760);
  EXPECT_DOUBLE_EQ(doc["acts"][0]["amount_eur"].get<double>(), 27.6);
  EXPECT_EQ(doc["acts"][0]["overseas"], true);
  EXPECT_EQ(doc["acts"][1]["billable"], false);
  EXPECT_EQ(doc["acts"][1]["patient_ins"], "");
  ASSERT_FALSE(doc["acts"][1]["warnings"].empty());
  EXPECT_TRUE(contains(doc["acts"][1]["warnings"][0].get<std::string>(), "no-combination"));

  EXPECT_FALSE(parseExportFormat("xml").ok());
  EXPECT_TRUE(contains(parseExportFormat("xml").error().message, "csv, json"));
}

TEST_F(BillingLedgerTest, FailedRecordLeavesTheLedgerUnchanged) {
  Ledger ledger = openLedger();
  ASSERT_TRUE(ledger.record(te2("2026-02-02", insKeyOf(kInsA)), "case-1").ok());
  const std::string before = ledger.exportActs(ExportFormat::Json, {}, true).value();
  const auto countersBefore = ledger.counters().value();

  // Invalid RPPS (checkRpps): refused before anything is written.
  Result<LedgerEntry> bad = ledger.record(te2("2026-02-03", insKeyOf(kInsA), "10003456A89"), "case-2");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
  EXPECT_TRUE(contains(bad.error().message, "10003456A89")) << bad.error().message;

  // No tariff that day.
  EXPECT_FALSE(ledger.record(te2("2020-02-03", insKeyOf(kInsA)), "case-3").ok());

  // The same case twice: the counters were already updated inside the
  // transaction when the act insert fails; the rollback must undo them.
  Result<LedgerEntry> duplicate = ledger.record(te2("2026-02-09", insKeyOf(kInsA)), "case-1");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_TRUE(contains(duplicate.error().message, "case-1")) << duplicate.error().message;

  EXPECT_EQ(ledger.exportActs(ExportFormat::Json, {}, true).value(), before);
  const auto countersAfter = ledger.counters().value();
  ASSERT_EQ(countersAfter.size(), countersBefore.size());
  EXPECT_EQ(countersAfter[0].acts, 1);
  EXPECT_EQ(countersAfter[0].billableActs, 1);
  EXPECT_EQ(countersAfter[0].amountCents, 2300);

  // Still usable afterwards.
  Result<LedgerEntry> next = ledger.record(te2("2026-02-10", insKeyOf(kInsA)), "case-4");
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->id, 2);
}

TEST_F(BillingLedgerTest, OpenErrors) {
  Result<Ledger> missing = Ledger::open(m_dir / "nope.sqlite", {.create = false});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  EXPECT_FALSE(fs::exists(m_dir / "nope.sqlite"));

  const fs::path text = m_dir / "notes.txt";
  std::ofstream(text) << "not a database, just some words that are long enough to fill a header............";
  Result<Ledger> notDb = Ledger::open(text);
  ASSERT_FALSE(notDb.ok());
  EXPECT_EQ(notDb.error().code, ErrorCode::Corrupt);

  // Folders are created.
  Result<Ledger> nested = Ledger::open(m_dir / "a" / "b" / "ledger.sqlite");
  EXPECT_TRUE(nested.ok()) << nested.error().message;
}

TEST(BillingLedgerPath, FollowsTheEnvironment) {
  struct Saved {
    const char* name;
    std::string value;
    bool set;
  };
  std::vector<Saved> saved;
  for (const char* name : {"CONFRERE_DATA_DIR", "XDG_DATA_HOME", "HOME"}) {
    const char* v = std::getenv(name);
    saved.push_back({name, v != nullptr ? v : "", v != nullptr});
  }
  ::setenv("CONFRERE_DATA_DIR", "/data/confrere", 1);
  ::setenv("XDG_DATA_HOME", "/xdg", 1);
  ::setenv("HOME", "/home/doc", 1);
  EXPECT_EQ(defaultLedgerPath(), fs::path("/data/confrere/ledger.sqlite"));
  ::setenv("CONFRERE_DATA_DIR", "", 1);
  EXPECT_EQ(defaultLedgerPath(), fs::path("/xdg/confrere/ledger.sqlite"));
  ::setenv("XDG_DATA_HOME", "relative/ignored", 1);
  EXPECT_EQ(defaultLedgerPath(), fs::path("/home/doc/.local/share/confrere/ledger.sqlite"));
  ::unsetenv("XDG_DATA_HOME");
  ::unsetenv("CONFRERE_DATA_DIR");
  ::unsetenv("HOME");
  EXPECT_THROW(defaultLedgerPath(), std::runtime_error);
  for (const Saved& s : saved) {
    if (s.set) {
      ::setenv(s.name, s.value.c_str(), 1);
    } else {
      ::unsetenv(s.name);
    }
  }
}

}  // namespace
}  // namespace confrere::exchange
