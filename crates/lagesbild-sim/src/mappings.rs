//! The FollowTheMoney mapping files written beside each CSV, so that `lagesbild ingest` (and
//! `ftm map`, for the FtM schemata) reads the simulated files as it reads real ones.

pub const SWISH: &str = r#"# Swish report: one row per payment. Payer and payee are people with a phone number; the
# payment links them.
swish:
  queries:
    - csv_url: swish.csv
      entities:
        payer:
          schema: Person
          keys: [Betalarens nummer]
          properties:
            name: {column: Betalarens namn}
            phone: {column: Betalarens nummer}
        payee:
          schema: LegalEntity
          keys: [Mottagarens nummer]
          properties:
            name: {column: Mottagarens namn}
            phone: {column: Mottagarens nummer}
        payment:
          schema: Payment
          keys: [Referens]
          properties:
            payer: {entity: payer}
            beneficiary: {entity: payee}
            date: {column: Transaktionsdatum}
            amount: {column: Belopp}
            currency: {literal: SEK}
            purpose: {column: Meddelande}
            transactionNumber: {column: Referens}
"#;

pub const TRANSFERS: &str = r#"# Bank transfers between accounts: each row a payment from one account to another.
transfers:
  queries:
    - csv_url: transfers.csv
      entities:
        from_account:
          schema: BankAccount
          keys: [from_iban]
          properties:
            iban: {column: from_iban}
        from_holder:
          schema: Person
          keys: [from_name, from_iban]
          properties:
            name: {column: from_name}
        to_account:
          schema: BankAccount
          keys: [to_iban]
          properties:
            iban: {column: to_iban}
        to_holder:
          schema: Person
          keys: [to_name, to_iban]
          properties:
            name: {column: to_name}
        payment:
          schema: Payment
          keys: [transfer_id]
          properties:
            payer: {entity: from_holder}
            payerAccount: {entity: from_account}
            beneficiary: {entity: to_holder}
            beneficiaryAccount: {entity: to_account}
            date: {column: date}
            amount: {column: amount}
            currency: {column: currency}
            purpose: {column: text}
            transactionNumber: {column: transfer_id}
"#;

pub const SEIZURES: &str = r#"# Seizures with lab results: the suspect, the seizure, and its case from the seizure to the
# lab result and the prosecutor's decision (SLF cases faster).
seizures:
  queries:
    - csv_url: seizures.csv
      entities:
        suspect:
          schema: Person
          keys: [suspect_name, born, personnummer]
          properties:
            name: {column: suspect_name}
            birthDate: {column: born}
            idNumber: {column: personnummer}
            phone: {column: phone}
        seizure:
          schema: Seizure
          keys: [seizure_id]
          properties:
            name: {template: "{{substance}} {{grams}} g, {{place}}"}
            caseNumber: {column: case_number}
            date: {column: seized_at}
            place: {column: place}
            latitude: {column: lat}
            longitude: {column: lon}
            substance: {column: substance}
            weight: {column: grams}
            count: {column: pieces}
            purity: {column: purity_percent}
            slf: {column: slf}
            labReference: {column: lab_reference}
            suspect: {entity: suspect}
            case: {entity: case}
        case:
          schema: Case
          keys: [case_number]
          properties:
            caseNumber: {column: case_number}
            offence: {literal: narkotikabrott}
            slf: {column: slf}
            reportedDate: {column: seized_at}
            labResultDate: {column: lab_reported_at}
            decisionDate: {column: decided_at}
            suspect: {entity: suspect}
      policy:
        subject_category: {literal: suspect}
"#;

pub const REPORTS: &str = r#"# Intelligence reports with Europol 4x4 grading: the person they are about and the report.
reports:
  queries:
    - csv_url: reports.csv
      entities:
        subject:
          schema: Person
          keys: [subject_name, subject_phone, subject_alias]
          properties:
            name: {column: subject_name}
            phone: {column: subject_phone}
            alias: {column: subject_alias}
        report:
          schema: Note
          keys: [report_id]
          properties:
            name: {column: report_id}
            description: {column: narrative}
            createdAt: {column: date}
            entity: {entity: subject}
      policy:
        grading: {column: grading}
        handling: {column: handling}
        subject_category: {column: category}
"#;

pub const INCIDENTS: &str = r#"# Incidents of violence: shootings, explosions, assaults.
incidents:
  queries:
    - csv_url: incidents.csv
      entities:
        incident:
          schema: Incident
          keys: [incident_id]
          properties:
            name: {column: title}
            category: {column: category}
            date: {column: occurred_at}
            latitude: {column: lat}
            longitude: {column: lon}
            place: {column: district}
            address: {column: municipality}
            victims: {column: victims}
            caseNumber: {column: case_number}
      policy:
        subject_category: {literal: none}
"#;

pub const OBSERVATIONS: &str = r#"# What partners observe: open dealing, people under the influence, gathering places.
observations:
  queries:
    - csv_url: observations.csv
      entities:
        observation:
          schema: Observation
          keys: [observation_id]
          properties:
            name: {template: "{{category}}, {{place}}"}
            category: {column: category}
            date: {column: observed_at}
            latitude: {column: lat}
            longitude: {column: lon}
            place: {column: place}
            area: {column: place}
            confidence: {column: observer}
      policy:
        subject_category: {literal: none}
"#;

pub const WASTEWATER: &str = r#"# Wastewater: each treatment plant's weekly 24-hour samples, one row per drug residue.
wastewater:
  queries:
    - csv_url: wastewater.csv
      entities:
        sample:
          schema: WastewaterSample
          keys: [sample_id]
          properties:
            name: {template: "{{residue}}, {{plant}}, {{sampled_at}}"}
            plant: {column: plant}
            address: {column: municipality}
            date: {column: sampled_at}
            substance: {column: substance}
            residue: {column: residue}
            concentration: {column: concentration_ng_l}
            flow: {column: flow_l_day}
            population: {column: population}
      policy:
        subject_category: {literal: none}
"#;

/// Every file the simulator writes through a mapping: (CSV name, mapping name, mapping).
pub const CALLS: &str = r#"# Call records (teledata): one row per call between two numbers. Each number is a person with
# that phone; the call links caller and receiver.
calls:
  queries:
    - csv_url: calls.csv
      entities:
        caller:
          schema: Person
          keys: [caller_number]
          properties:
            phone: {column: caller_number}
        receiver:
          schema: Person
          keys: [receiver_number]
          properties:
            phone: {column: receiver_number}
        call:
          schema: Call
          keys: [call_id]
          properties:
            caller: {entity: caller}
            receiver: {entity: receiver}
            callerNumber: {column: caller_number}
            receiverNumber: {column: receiver_number}
            startDate: {column: start}
            duration: {column: duration_s}
            recordId: {column: call_id}
"#;

pub const ALL: &[(&str, &str, &str)] = &[
    ("calls.csv", "calls.yml", CALLS),
    ("swish.csv", "swish.yml", SWISH),
    ("transfers.csv", "transfers.yml", TRANSFERS),
    ("seizures.csv", "seizures.yml", SEIZURES),
    ("reports.csv", "reports.yml", REPORTS),
    ("incidents.csv", "incidents.yml", INCIDENTS),
    ("observations.csv", "observations.yml", OBSERVATIONS),
    ("wastewater.csv", "wastewater.yml", WASTEWATER),
];
