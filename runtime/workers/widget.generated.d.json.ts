// Type of the widget JSON written by build.ts: the minified widget.js served at /widget.js.
declare const widget: { script: string }
export default widget
