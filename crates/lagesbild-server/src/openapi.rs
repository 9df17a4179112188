//! The OpenAPI 3.1 document of the API, built from the route table ([`crate::ROUTES`]) and
//! the schemas below, and a page that shows it without anything from the network.

use serde_json::{Map, Value, json};

use crate::api::{ROUTES, Route};

fn string() -> Value {
    json!({"type": "string"})
}

fn nullable(kind: &str) -> Value {
    json!({"type": [kind, "null"]})
}

fn object(required: &[&str], props: Value) -> Value {
    json!({"type": "object", "required": required, "properties": props})
}

fn closed(required: &[&str], props: Value) -> Value {
    let mut o = object(required, props);
    o["additionalProperties"] = json!(false);
    o
}

fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The shapes of bodies and answers.
fn schemas() -> Value {
    let policy = object(
        &[
            "org",
            "dataset",
            "grading",
            "handling",
            "subject_category",
            "purpose",
        ],
        json!({
            "org": string(), "dataset": string(), "grading": string(),
            "handling": string(), "handling_note": nullable("string"),
            "subject_category": string(), "purpose": string(),
            "legal_basis": nullable("string"), "compartment": nullable("string"),
            "review_by": nullable("string"), "delete_by": nullable("string"),
        }),
    );
    let node = object(
        &["id", "schema", "caption", "degree"],
        json!({
            "id": string(), "schema": string(), "caption": string(),
            "degree": {"type": "integer"}, "community": {"type": "integer"},
            "pagerank": {"type": "number"},
        }),
    );
    let edge = object(
        &["src", "dst", "prop", "count"],
        json!({
            "src": string(), "dst": string(), "prop": string(), "count": {"type": "number"},
            "first": nullable("string"), "last": nullable("string"),
        }),
    );
    let reference_row = object(
        &["entity_id", "schema", "prop", "target"],
        json!({"entity_id": string(), "schema": string(), "prop": string(), "target": string()}),
    );
    let counts = array(json!({"type": "array", "prefixItems": [string(), {"type": "integer"}]}));
    json!({
        "Problem": object(&["type", "title", "status", "detail"], json!({
            "type": string(), "title": string(), "status": {"type": "integer"}, "detail": string(),
        })),
        "Login": closed(&["user", "password"], json!({
            "user": string(), "password": {"type": "string", "format": "password"},
        })),
        "PurposeBody": closed(&[], json!({"purpose": nullable("string")})),
        "Session": object(&["user", "org", "roles", "compartments"], json!({
            "user": string(), "org": string(), "roles": array(string()),
            "compartments": array(string()), "csrf_token": nullable("string"),
            "purpose": nullable("string"),
        })),
        "Stats": object(&["batches", "records", "entities"], json!({
            "batches": {"type": "integer"}, "records": {"type": "integer"},
            "entities": {"type": "integer"}, "merged_ids": {"type": "integer"},
            "by_schema": counts, "by_dataset": counts,
        })),
        "Hit": object(&["id", "entity_id", "schema", "title", "snippet", "highlights"], json!({
            "id": string(), "entity_id": string(), "schema": string(), "dataset": string(),
            "org": string(), "record_id": {"type": "integer"}, "title": string(),
            "score": {"type": "number"}, "snippet": string(),
            "highlights": array(array(json!({"type": "integer"}))),
        })),
        "SearchAnswer": object(&["total_documents", "results", "facets"], json!({
            "total_documents": {"type": "integer"}, "results": array(reference("Hit")),
            "facets": object(&["schema", "dataset", "org"], json!({
                "schema": counts, "dataset": counts, "org": counts,
            })),
            "facets_over": {"type": "integer"},
        })),
        "Statement": object(&["entity_id", "schema", "prop", "value", "valid", "record_id", "source", "policy"], json!({
            "entity_id": string(), "schema": string(), "prop": string(), "value": string(),
            "original": nullable("string"), "valid": {"type": "boolean"},
            "record_id": {"type": "integer"}, "source": string(), "line": {"type": "integer"},
            "offset": {"type": "integer"}, "batch_id": {"type": "integer"},
            "registered_at": string(), "policy": policy,
        })),
        "Reference": reference_row,
        "Entity": object(&["id", "caption", "schema", "members", "statements", "referrers", "shared_keys"], json!({
            "id": string(), "caption": string(), "schema": string(), "members": array(string()),
            "statements": array(reference("Statement")), "statements_total": {"type": "integer"},
            "referrers": array(reference("Reference")),
            "shared_keys": array(reference("Reference")),
        })),
        "Node": node,
        "Edge": edge,
        "Graph": object(&["nodes", "edges", "summarised"], json!({
            "nodes": array(reference("Node")), "edges": array(reference("Edge")),
            "summarised": array(object(&["id", "hidden_neighbours"], json!({
                "id": string(), "hidden_neighbours": {"type": "integer"},
            }))),
            "communities": {"type": "integer"}, "modularity": {"type": "number"},
        })),
        "NetworkBody": closed(&["ids"], json!({
            "ids": {"type": "array", "items": string(), "minItems": 1, "maxItems": 1000},
            "prop": nullable("string"), "from": nullable("string"), "to": nullable("string"),
        })),
        "PathAnswer": object(&["path", "edges"], json!({
            "path": array(reference("Node")), "edges": array(reference("Edge")),
        })),
        "Event": object(&["entity_id", "schema", "lat", "lon", "category"], json!({
            "entity_id": string(), "schema": string(), "lat": {"type": "number"},
            "lon": {"type": "number"}, "date": nullable("string"), "category": string(),
            "place": nullable("string"), "record_id": {"type": "integer"},
        })),
        "Events": object(&["events", "total", "truncated"], json!({
            "events": array(reference("Event")), "total": {"type": "integer"},
            "truncated": {"type": "boolean"},
        })),
        "FeatureCollection": object(&["type", "features"], json!({
            "type": {"const": "FeatureCollection"},
            "features": array(object(&["type", "geometry", "properties"], json!({
                "type": {"const": "Feature"}, "geometry": {"type": "object"},
                "properties": {"type": "object"},
            }))),
        })),
        "Trends": object(&["months", "series", "alerts"], json!({
            "months": array(string()),
            "series": array(object(&["category", "counts"], json!({
                "category": string(), "counts": array(json!({"type": "number"})),
            }))),
            "alerts": array(object(&["category", "month", "count"], json!({
                "category": string(), "month": string(), "count": {"type": "number"},
                "expected": nullable("number"), "direction": string(),
            }))),
        })),
        "AggregateTable": object(&["k", "areas", "months", "table"], json!({
            "k": {"type": "integer"}, "category": nullable("string"),
            "areas": array(string()), "months": array(string()),
            "table": object(&["cells", "row_totals", "col_totals"], json!({
                "cells": array(array(nullable("integer"))),
                "row_totals": array(nullable("integer")),
                "col_totals": array(nullable("integer")),
                "grand_total": nullable("integer"),
            })),
        })),
        "ObservationBody": closed(&["category", "lat", "lon", "observed_at", "certainty"], json!({
            "category": {"type": "string", "minLength": 1, "maxLength": 100},
            "description": {"type": "string", "maxLength": 4000},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "observed_at": {"type": "string", "examples": ["2026-11-28T21:30"]},
            "certainty": {"enum": ["sure", "probable", "possible"]},
            "place": nullable("string"),
        })),
        "Filed": object(&["entity_id", "batch_id"], json!({
            "entity_id": string(), "batch_id": {"type": "integer"},
        })),
        "Review": object(&["proposals"], json!({
            "proposals": array(object(&["id", "left", "right", "probability"], json!({
                "id": {"type": "integer"}, "left": reference("Node"), "right": reference("Node"),
                "probability": {"type": "number"}, "weight": {"type": "number"},
                "explanation": {}, "created_at": string(),
            }))),
        })),
        "JudgementBody": closed(&["left", "right", "verdict"], json!({
            "left": string(), "right": string(),
            "verdict": {"enum": ["same", "not_same", "unsure"]},
        })),
        "Judged": object(&["judgement", "canonical"], json!({
            "judgement": {"type": "integer"}, "canonical": string(),
        })),
        "AuditEntries": object(&["entries"], json!({
            "entries": array(object(&["seq", "at", "user", "op", "purpose", "ids"], json!({
                "seq": {"type": "integer"}, "at": string(), "user": string(), "org": string(),
                "roles": array(string()), "purpose": string(), "op": string(),
                "ids": array(string()), "recipients": array(string()), "detail": string(),
                "prev_hash": string(), "hash": string(),
            }))),
        })),
        "Verify": object(&["ok", "entries"], json!({
            "ok": {"type": "boolean"}, "entries": {"type": "integer"}, "head": string(),
            "broken": {},
        })),
        "Config": object(&["version"], json!({
            "version": string(), "map_style": nullable("string"),
            "areas": {"type": "integer"}, "min_cell": {"type": "integer"},
        })),
        "Health": object(&["status"], json!({"status": string()})),
    })
}

fn problem_response(about: &str) -> Value {
    json!({
        "description": about,
        "content": {"application/problem+json": {"schema": reference("Problem")}},
    })
}

fn operation(r: &Route) -> Value {
    let mut params: Vec<Value> = Vec::new();
    for seg in r.path.split('/') {
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            // judgement ids are numbers, entity ids text
            let schema = if r.path.starts_with("/judgements/") {
                json!({"type": "integer", "minimum": 1})
            } else {
                json!({"type": "string", "minLength": 1})
            };
            params.push(json!({
                "name": name, "in": "path", "required": true, "schema": schema,
            }));
        }
    }
    for p in r.query {
        let schema = match p.kind {
            "integer" => json!({"type": "integer", "minimum": 0}),
            kind => json!({"type": kind}),
        };
        let mut schema = schema;
        if p.required && p.kind == "string" {
            schema["minLength"] = json!(1);
        }
        params.push(json!({
            "name": p.name, "in": "query", "required": p.required, "description": p.about,
            "schema": schema,
        }));
    }
    if r.purpose {
        params.push(json!({
            "name": "X-Purpose", "in": "header", "required": false,
            "description": "why you are asking, percent-encoded UTF-8 (or set it for the session)",
            "schema": string(),
        }));
    }
    let mut responses = Map::new();
    let ok = if r.answer.is_empty() {
        if r.ok == 204 {
            json!({"description": "done"})
        } else {
            json!({"description": "the document", "content": {"text/html": {}, "application/json": {}}})
        }
    } else {
        json!({
            "description": "success",
            "content": {"application/json": {"schema": reference(r.answer)}},
        })
    };
    responses.insert(r.ok.to_string(), ok);
    responses.insert("400".into(), problem_response("bad request"));
    if r.login {
        responses.insert("401".into(), problem_response("not logged in"));
        responses.insert(
            "403".into(),
            problem_response("not allowed (role, policy or CSRF)"),
        );
        responses.insert("429".into(), problem_response("too many requests"));
    }
    if r.purpose {
        responses.insert("404".into(), problem_response("not found (or not visible)"));
        responses.insert("428".into(), problem_response("a purpose is required"));
    }
    let mut op = json!({
        "operationId": format!("{}{}", r.method, r.path.replace(['/', '{', '}', '.'], "_")),
        "summary": r.summary,
        "tags": [r.tag],
        "parameters": params,
        "responses": responses,
    });
    if let Some(body) = r.body {
        op["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": reference(body)}},
        });
    }
    if r.login {
        op["security"] = json!([{"session": []}, {"token": []}]);
    } else {
        op["security"] = json!([]);
    }
    op
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let entry = paths
            .entry(format!("/api/v1{}", r.path))
            .or_insert_with(|| json!({}));
        entry[r.method] = operation(r);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Lägesbild API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The situation picture of the illegal drug trade: every route goes \
                through the store's one audited access path with the caller's principal and \
                purpose. Log in with POST /api/v1/session (cookie; send X-CSRF-Token on \
                writes) or send a token (Authorization: Bearer lgb_…).",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE},
                "token": {"type": "http", "scheme": "bearer"},
            },
        },
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The routes as a page, with nothing fetched from elsewhere.
pub fn page() -> String {
    let mut rows = String::new();
    for r in ROUTES {
        let params: Vec<String> = r
            .query
            .iter()
            .map(|p| format!("<code>{}</code> {}", escape(p.name), escape(p.about)))
            .collect();
        rows.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code>/api/v1{}</code></td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            r.method.to_uppercase(),
            escape(r.path),
            escape(r.summary),
            if r.login { "yes" } else { "no" },
            if r.purpose { "yes" } else { "no" },
            r.body.map(escape).unwrap_or_default(),
            params.join("<br>"),
        ));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Lägesbild API</title><style>body{{font:15px system-ui,sans-serif;margin:2rem;\
         max-width:80rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;\
         padding:.3rem .5rem;vertical-align:top;text-align:left}}code{{font-size:90%}}</style>\
         </head><body><main><h1>Lägesbild API v1</h1><p>The machine-readable document: \
         <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1). Errors are \
         RFC 9457 problems. Data routes need a purpose: the header <code>X-Purpose</code> \
         (percent-encoded) or <code>PUT /api/v1/session/purpose</code>.</p>\
         <table><caption>Routes</caption><thead><tr><th scope=\"col\">Method</th>\
         <th scope=\"col\">Path</th><th scope=\"col\">What</th><th scope=\"col\">Login</th>\
         <th scope=\"col\">Purpose</th><th scope=\"col\">Body</th>\
         <th scope=\"col\">Query</th></tr></thead><tbody>{rows}</tbody></table></main>\
         </body></html>"
    )
}
