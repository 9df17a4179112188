//! The policy engine's rules: whether a principal may see a record, decided from the record's
//! policy fields alone (organisation of origin, dataset, handling code, data-subject category,
//! compartment), the principal's organisation, roles and compartments, and the sharing
//! agreements between organisations.
//!
//! A record yields statements, and every statement carries its record's policy, so the
//! decision per record is the decision per statement. The store applies these rules at its one
//! access path; this module knows no storage so that the rules can be read, tested against a
//! plain oracle, and shown to a supervisory authority as they are.
//!
//! The rules, in order:
//! 1. The local operator of an embedded store sees everything (whoever holds the store's files
//!    can read them anyway); a deployment serves users of the directory, never an operator.
//! 2. A record in a compartment is seen only by its members, whatever their roles.
//! 3. Roles decide which data-subject categories a principal may see at all (see
//!    [`Role::categories`]); auditors and administrators see no records, partners only their
//!    own organisation's.
//! 4. A record of the principal's own organisation is visible; one of another organisation only
//!    under an agreement from that organisation to the principal's covering its dataset, and an
//!    H2 record (no onward disclosure without the provider's consent) only when the agreement
//!    records that consent.
//! 5. Liaison officers, whose work is passing information on, see no H2 or H3 records of
//!    other organisations.

use serde::{Deserialize, Serialize};

use crate::{Handling, Policy, Principal, Role, SubjectCategory};

/// An organisation's agreement to share its records with another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: i64,
    /// The provider.
    pub from_org: String,
    /// The recipient.
    pub to_org: String,
    /// The datasets shared; empty: all of the provider's datasets.
    pub datasets: Vec<String>,
    /// The provider consents to H2 records going to the recipient.
    pub h2_consent: bool,
    /// Only aggregate statistics are shared, never records.
    pub aggregates_only: bool,
}

impl Agreement {
    fn covers(&self, p: &Policy) -> bool {
        self.from_org == p.org && (self.datasets.is_empty() || self.datasets.contains(&p.dataset))
    }
}

/// What a principal who may see a record may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visibility {
    /// H1: not to be used in court without the provider's permission.
    pub court_use: bool,
    /// H2: not to be passed on without the provider's permission.
    pub onward_disclosure: bool,
    /// H3: the restriction in words, to be shown with every value.
    pub restriction: Option<String>,
}

impl Role {
    /// The data-subject categories a role may see. Informants and records nobody categorised
    /// (treated as the most protected) only investigators; victims, witnesses, contacts and
    /// people not suspected analysts and investigators; area officers and liaisons suspects,
    /// the convicted and material about no one.
    pub fn categories(self) -> &'static [SubjectCategory] {
        use SubjectCategory::*;
        match self {
            Role::Operator | Role::Investigator => &SubjectCategory::ALL,
            Role::Analyst => &[
                Suspect,
                Convicted,
                Victim,
                Witness,
                Contact,
                NotSuspected,
                None,
            ],
            Role::AreaOfficer | Role::Liaison => &[Suspect, Convicted, None],
            // partners see only what their own organisation submitted, of any category
            Role::Partner => &SubjectCategory::ALL,
            Role::Auditor | Role::Administrator => &[],
        }
    }
}

/// Whether one role of the principal lets it see the record (rules 3–5).
fn role_allows(role: Role, principal: &Principal, p: &Policy, agreements: &[Agreement]) -> bool {
    if !role.categories().contains(&p.subject_category) {
        return false;
    }
    let own = p.org == principal.org;
    match role {
        Role::Operator => true,
        Role::Auditor | Role::Administrator => false,
        Role::Partner => own,
        _ if own => true,
        _ => {
            if role == Role::Liaison && matches!(p.handling, Handling::H2 | Handling::H3) {
                return false;
            }
            agreements.iter().any(|a| {
                a.to_org == principal.org
                    && !a.aggregates_only
                    && a.covers(p)
                    && (p.handling != Handling::H2 || a.h2_consent)
            })
        }
    }
}

/// Whether `principal` may see a record with policy `p`, and with what restrictions.
pub fn decide(principal: &Principal, p: &Policy, agreements: &[Agreement]) -> Option<Visibility> {
    let operator = principal.has_role(Role::Operator);
    if !operator
        && let Some(c) = &p.compartment
        && !principal.compartments.contains(c)
    {
        return None;
    }
    if !principal
        .roles
        .iter()
        .any(|r| role_allows(*r, principal, p, agreements))
    {
        return None;
    }
    Some(Visibility {
        court_use: p.handling != Handling::H1,
        onward_disclosure: p.handling != Handling::H2,
        restriction: (p.handling == Handling::H3)
            .then(|| p.handling_note.clone().unwrap_or_default()),
    })
}

/// What data read out of the store is for: the handling codes restrict some uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Use {
    /// Analysis within the organisation (what the principal may see).
    Analysis,
    /// An export for court: H1 records are left out.
    Court,
    /// Disclosure to another organisation: H2 records only where the provider consented to
    /// that recipient (or is the recipient), H3 records only to their provider (the free-text
    /// restriction cannot be checked by a machine).
    Disclosure { recipient: String },
}

/// Whether a record the principal may see may be used for `purpose_use`.
pub fn use_allowed(p: &Policy, purpose_use: &Use, agreements: &[Agreement]) -> bool {
    match purpose_use {
        Use::Analysis => true,
        Use::Court => p.handling != Handling::H1,
        Use::Disclosure { recipient } => match p.handling {
            _ if p.org == *recipient => true,
            Handling::H2 => agreements
                .iter()
                .any(|a| a.to_org == *recipient && a.h2_consent && a.covers(p)),
            Handling::H3 => false,
            Handling::H0 | Handling::H1 => true,
        },
    }
}

/// Whether a record counts towards the aggregate statistics `principal` may see: records it
/// may see, and, for partners, records of organisations sharing aggregates with its
/// organisation (compartments excepted: what is in an operation is not counted outside it).
pub fn counts_in_aggregates(principal: &Principal, p: &Policy, agreements: &[Agreement]) -> bool {
    if decide(principal, p, agreements).is_some() {
        return true;
    }
    principal.has_role(Role::Partner)
        && p.compartment.is_none()
        && agreements
            .iter()
            .any(|a| a.to_org == principal.org && a.covers(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(org: &str, roles: &[Role], compartments: &[&str]) -> Principal {
        Principal {
            user: "u".into(),
            org: org.into(),
            roles: roles.to_vec(),
            compartments: compartments.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    fn policy(org: &str, h: Handling, c: SubjectCategory, comp: Option<&str>) -> Policy {
        let mut p = Policy::new(org, "tips", "utredning");
        p.handling = h;
        if h == Handling::H3 {
            p.handling_note = Some("endast för operation Gran".into());
        }
        p.subject_category = c;
        p.compartment = comp.map(str::to_owned);
        p
    }

    #[test]
    fn compartments_bind_everyone_but_the_operator() {
        let p = policy(
            "Polisen",
            Handling::H0,
            SubjectCategory::Suspect,
            Some("Gran"),
        );
        assert!(decide(&user("Polisen", &[Role::Analyst], &[]), &p, &[]).is_none());
        assert!(decide(&user("Polisen", &[Role::Analyst], &["Gran"]), &p, &[]).is_some());
        assert!(decide(&user("Polisen", &[Role::Administrator], &[]), &p, &[]).is_none());
        assert!(decide(&Principal::operator("op", "x"), &p, &[]).is_some());
    }

    #[test]
    fn other_organisations_need_an_agreement_and_h2_consent() {
        let analyst = user("Tullverket", &[Role::Analyst], &[]);
        let h0 = policy("Polisen", Handling::H0, SubjectCategory::Suspect, None);
        let h2 = policy("Polisen", Handling::H2, SubjectCategory::Suspect, None);
        assert!(decide(&analyst, &h0, &[]).is_none());
        let mut a = Agreement {
            id: 1,
            from_org: "Polisen".into(),
            to_org: "Tullverket".into(),
            datasets: vec![],
            h2_consent: false,
            aggregates_only: false,
        };
        assert!(decide(&analyst, &h0, std::slice::from_ref(&a)).is_some());
        assert!(decide(&analyst, &h2, std::slice::from_ref(&a)).is_none());
        a.h2_consent = true;
        let v = decide(&analyst, &h2, std::slice::from_ref(&a)).unwrap();
        assert!(!v.onward_disclosure);
        a.datasets = vec!["other".into()];
        assert!(decide(&analyst, &h0, std::slice::from_ref(&a)).is_none());
    }

    #[test]
    fn categories_by_role() {
        let inf = policy("P", Handling::H0, SubjectCategory::Informant, None);
        let wit = policy("P", Handling::H0, SubjectCategory::Witness, None);
        assert!(decide(&user("P", &[Role::Analyst], &[]), &inf, &[]).is_none());
        assert!(decide(&user("P", &[Role::Investigator], &[]), &inf, &[]).is_some());
        assert!(decide(&user("P", &[Role::Analyst], &[]), &wit, &[]).is_some());
        assert!(decide(&user("P", &[Role::AreaOfficer], &[]), &wit, &[]).is_none());
        assert!(decide(&user("P", &[Role::Auditor], &[]), &wit, &[]).is_none());
        // roles add up
        assert!(
            decide(
                &user("P", &[Role::AreaOfficer, Role::Analyst], &[]),
                &wit,
                &[]
            )
            .is_some()
        );
    }

    #[test]
    fn partners_see_their_own_and_counts_under_an_agreement() {
        let partner = user("Havsstads kommun", &[Role::Partner], &[]);
        let own = policy(
            "Havsstads kommun",
            Handling::H0,
            SubjectCategory::Unknown,
            None,
        );
        let police = policy("Polisen", Handling::H0, SubjectCategory::Suspect, None);
        assert!(decide(&partner, &own, &[]).is_some());
        let a = Agreement {
            id: 1,
            from_org: "Polisen".into(),
            to_org: "Havsstads kommun".into(),
            datasets: vec![],
            h2_consent: false,
            aggregates_only: true,
        };
        assert!(decide(&partner, &police, std::slice::from_ref(&a)).is_none());
        assert!(counts_in_aggregates(
            &partner,
            &police,
            std::slice::from_ref(&a)
        ));
        assert!(!counts_in_aggregates(&partner, &police, &[]));
    }

    #[test]
    fn uses_follow_the_handling_codes() {
        let h1 = policy("P", Handling::H1, SubjectCategory::Suspect, None);
        let h2 = policy("P", Handling::H2, SubjectCategory::Suspect, None);
        let h3 = policy("P", Handling::H3, SubjectCategory::Suspect, None);
        assert!(!use_allowed(&h1, &Use::Court, &[]));
        assert!(use_allowed(&h2, &Use::Court, &[]));
        let to = |r: &str| Use::Disclosure {
            recipient: r.into(),
        };
        assert!(use_allowed(&h1, &to("Tull"), &[]));
        assert!(!use_allowed(&h2, &to("Tull"), &[]));
        assert!(use_allowed(&h2, &to("P"), &[]));
        let consent = Agreement {
            id: 1,
            from_org: "P".into(),
            to_org: "Tull".into(),
            datasets: vec![],
            h2_consent: true,
            aggregates_only: false,
        };
        assert!(use_allowed(
            &h2,
            &to("Tull"),
            std::slice::from_ref(&consent)
        ));
        assert!(!use_allowed(
            &h3,
            &to("Tull"),
            std::slice::from_ref(&consent)
        ));
    }

    #[test]
    fn restrictions_travel_with_the_values() {
        let v = decide(
            &user("P", &[Role::Analyst], &[]),
            &policy("P", Handling::H3, SubjectCategory::Suspect, None),
            &[],
        )
        .unwrap();
        assert_eq!(v.restriction.as_deref(), Some("endast för operation Gran"));
        let v = decide(
            &user("P", &[Role::Analyst], &[]),
            &policy("P", Handling::H1, SubjectCategory::Suspect, None),
            &[],
        )
        .unwrap();
        assert!(!v.court_use);
    }
}
