export default function DashboardView() { return <section><h1>DashboardView</h1></section>; }
