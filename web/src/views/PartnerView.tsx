export default function PartnerView() { return <section><h1>PartnerView</h1></section>; }
