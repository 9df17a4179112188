export default function NetworkView() { return <section><h1>NetworkView</h1></section>; }
