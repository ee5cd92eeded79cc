// The billing ledger: every téléexpertise act recorded by the practitioners of
// one workstation, with its evaluation (billable or not, and why), the yearly
// counters the rules need, and an export for the practice's electronic care
// sheet (FSE, "SESAM sans Vitale": the workstation prepares, it never talks to
// the insurer).
//
// Storage: one SQLite file (WAL mode, busy timeout 5 s), normally one per
// practitioner (defaultLedgerPath()); several practitioners may share a file,
// every counter is kept per practitioner. Each record() is one IMMEDIATE
// transaction: the counters are read, the act evaluated, the counters and the
// act written, or nothing is (a failure leaves the ledger as it was).
//
// Threads: a Ledger is not thread-safe; open one per thread. Several processes
// may use the same file (SQLite locking).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "confrere/exchange/billing.h"
#include "confrere/imaging/result.h"

namespace confrere::exchange {

// The default ledger file: $CONFRERE_DATA_DIR/ledger.sqlite, else
// $XDG_DATA_HOME/confrere/ledger.sqlite (XDG_DATA_HOME absolute), else
// $HOME/.local/share/confrere/ledger.sqlite. Empty variables are ignored.
// Throws std::runtime_error when none of them is set (environment error).
std::filesystem::path defaultLedgerPath();

// One recorded act.
struct LedgerEntry {
  std::int64_t id = 0;  // increasing, never reused
  Date date;
  Act act = Act::TE2;
  Role role = Role::Expert;
  std::string patientKey;  // "INS:..." or "LOCAL:..."
  std::string practitionerRpps;
  Profession profession = Profession::Doctor;
  std::string specialtyCode;
  std::string structureId;
  std::string counterpartRpps;  // empty: none given
  bool overseas = false;
  std::int64_t tariffCents = 0;
  std::int64_t amountCents = 0;  // billed: tariffCents when billable, else 0
  bool billable = false;
  bool countsAsRemote = false;    // counted in the 20 % remote-activity share
  std::vector<Finding> findings;  // reasons and warnings at recording time
  std::string caseId;             // empty: none
  std::string recordedAt;         // UTC, "YYYY-MM-DDTHH:MM:SSZ"
};

// Acts of one practitioner for one patient in one calendar year, in one role
// (for an expert: the "4 acts a year per patient" counter).
struct YearlyCounter {
  int year = 0;
  std::string practitionerRpps;
  std::string patientKey;
  Role role = Role::Expert;
  int acts = 0;          // recorded
  int billableActs = 0;  // of which billable
  std::int64_t amountCents = 0;
};

// The 20 % counter of one practitioner for one year.
struct RemoteActivity {
  int year = 0;
  std::string practitionerRpps;
  int remoteActs = 0;     // acts of the ledger counted as remote (by act date)
  int totalActivity = 0;  // declared with setYearlyActivity(); 0 = unknown
  // remoteActs / totalActivity in percent; nullopt when the total is unknown.
  std::optional<double> remotePercent() const;
};

// Filters for reads and exports; empty fields select everything.
struct LedgerQuery {
  std::optional<int> year;
  std::string practitionerRpps;
};

enum class ExportFormat { Csv, Json };
// "csv" or "json"; InvalidArgument otherwise, listing both.
Result<ExportFormat> parseExportFormat(std::string_view text);

// The export columns, in order: the CSV header and the keys of each JSON act.
//   act_id             ledger id (integer)
//   act_date           date of the act, YYYY-MM-DD
//   act_code           NGAP code: TE2, RQD, TE1
//   role               expert | requester
//   practitioner_rpps  11-digit RPPS of the practitioner who bills
//   practitioner_idnat idNat_PS: "8" + RPPS
//   profession         doctor, midwife, nurse, ... (billing.h names)
//   specialty_code     insurer's specialty code (01 = general practice), may be empty
//   counterpart_rpps   RPPS of the other party (expert or requester), may be empty
//   patient_ins        15-character INS when the patient key is an INS, else empty
//   patient_key        the ledger's key, "INS:..." or "LOCAL:..."
//   overseas           1 when billed at the overseas (DROM) tariff, else 0
//   amount_cents       amount to bill in euro cents (0 when not billable)
//   amount_eur         same in euros with two decimals and a dot ("23.00")
//   billable           1 | 0
//   case_id            the téléexpertise case, may be empty
//   warnings           blocking reasons and warnings at recording time (not the
//                      info notes), "rule: message" joined by " | "
// CSV: RFC 4180 (comma separator, CRLF line ends, fields with a comma, quote
// or line break quoted, quotes doubled), UTF-8, header first. JSON: an object
// {"format": "confrere-fse", "version": 1, "year": Y|null, "columns": [...],
// "acts": [{column: value}]}, with integers for act_id/amount_cents, booleans
// for overseas/billable, a number for amount_eur and strings elsewhere
// (warnings as an array of strings).
std::vector<std::string> exportColumns();

class Ledger {
 public:
  struct OpenOptions {
    bool create = true;  // false: NotFound when the file does not exist
  };
  // Opens (and creates, with its folders, unless options.create is false) the
  // ledger at `path`. Fails with NotFound (no file and create=false), Io (cannot
  // create or open) or Corrupt (not a ledger, or a newer schema).
  static Result<Ledger> open(const std::filesystem::path& path, OpenOptions options);
  static Result<Ledger> open(const std::filesystem::path& path) { return open(path, OpenOptions{}); }

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const std::filesystem::path& path() const;

  // What the ledger knows for this request (the counters evaluate() needs),
  // including the billable acts already recorded the same day for the same
  // patient by the same practitioner.
  Result<LedgerCounters> countersFor(const ActRequest& request, std::vector<std::string>* actsSameDay = nullptr) const;

  // Evaluates the act with the ledger's counters (acts already recorded the
  // same day are added to request.otherActsSameDay) and records it with its
  // findings, billable or not. Fails, leaving the ledger unchanged, on invalid
  // input (see evaluate()), when the same practitioner already recorded this
  // act for this case id (InvalidArgument), or on a database error (Io).
  Result<LedgerEntry> record(const ActRequest& request, const std::string& caseId = {},
                             const BillingConfig& config = {});

  // Declares a practitioner's whole activity for a year (acts in person and
  // remote), the denominator of the 20 % counter. Replaces the earlier value.
  Status setYearlyActivity(const std::string& practitionerRpps, int year, int totalActs);

  // Acts in id order, counters by year, practitioner, patient, role.
  Result<std::vector<LedgerEntry>> acts(const LedgerQuery& query = {}) const;
  Result<std::vector<YearlyCounter>> counters(const LedgerQuery& query = {}) const;
  Result<std::vector<RemoteActivity>> remoteActivity(const LedgerQuery& query = {}) const;

  // The FSE export (see exportColumns()): billable acts only, unless
  // includeNonBillable.
  Result<std::string> exportActs(ExportFormat format, const LedgerQuery& query = {},
                                 bool includeNonBillable = false) const;

 private:
  struct Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace confrere::exchange
