export default function AuditView() { return <section><h1>AuditView</h1></section>; }
