//! Who is asking and why: the principal and the purpose every access to the store carries,
//! and the kinds of processing the audit log records.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The roles a user may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Analyst,
    Investigator,
    AreaOfficer,
    Partner,
    Liaison,
    Auditor,
    Administrator,
    /// The local operator of an embedded store, acting through the command line.
    Operator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Investigator => "investigator",
            Role::AreaOfficer => "area_officer",
            Role::Partner => "partner",
            Role::Liaison => "liaison",
            Role::Auditor => "auditor",
            Role::Administrator => "administrator",
            Role::Operator => "operator",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(
            match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
                "analyst" => Role::Analyst,
                "investigator" => Role::Investigator,
                "area_officer" => Role::AreaOfficer,
                "partner" => Role::Partner,
                "liaison" => Role::Liaison,
                "auditor" => Role::Auditor,
                "administrator" | "admin" => Role::Administrator,
                "operator" => Role::Operator,
                _ => return Err(format!("unknown role {s:?}")),
            },
        )
    }
}

/// Who is asking: a user of one organisation, with roles and compartment memberships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user: String,
    pub org: String,
    pub roles: Vec<Role>,
    pub compartments: Vec<String>,
}

impl Principal {
    /// The local operator of an embedded store.
    pub fn operator(user: &str, org: &str) -> Principal {
        Principal {
            user: user.to_owned(),
            org: org.to_owned(),
            roles: vec![Role::Operator],
            compartments: Vec::new(),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Why the principal is asking: the justification every consultation must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purpose(String);

impl Purpose {
    /// A purpose in words; empty or blank text is refused.
    pub fn new(text: &str) -> Result<Purpose, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("a purpose is required: say why you are accessing the data".to_owned());
        }
        Ok(Purpose(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kinds of processing that the law requires to be logged (directive 2016/680 art. 25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditOp {
    Collect,
    Alter,
    Consult,
    Disclose,
    Combine,
    Erase,
}

impl AuditOp {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOp::Collect => "collect",
            AuditOp::Alter => "alter",
            AuditOp::Consult => "consult",
            AuditOp::Disclose => "disclose",
            AuditOp::Combine => "combine",
            AuditOp::Erase => "erase",
        }
    }
}

impl FromStr for AuditOp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "collect" => AuditOp::Collect,
            "alter" => AuditOp::Alter,
            "consult" => AuditOp::Consult,
            "disclose" => AuditOp::Disclose,
            "combine" => AuditOp::Combine,
            "erase" => AuditOp::Erase,
            _ => return Err(format!("unknown audit operation {s:?}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purpose_must_say_something() {
        assert!(Purpose::new("  ").is_err());
        assert_eq!(
            Purpose::new(" ärende 2026-123 ").unwrap().as_str(),
            "ärende 2026-123"
        );
    }

    #[test]
    fn roles_round_trip() {
        for r in [
            Role::Analyst,
            Role::AreaOfficer,
            Role::Operator,
            Role::Auditor,
        ] {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("boss".parse::<Role>().is_err());
    }
}
