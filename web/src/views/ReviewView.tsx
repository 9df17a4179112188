export default function ReviewView() { return <section><h1>ReviewView</h1></section>; }
