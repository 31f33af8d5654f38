export default function Debugger() {
  return <h1>Event debugger</h1>;
}
