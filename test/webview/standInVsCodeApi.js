// Stand-in for the API VS Code injects into webviews: records what the view posts, keeps the
// state, allows one acquisition like VS Code, and logs Content-Security-Policy violations.
// Plain JavaScript so that it runs in the page exactly as written.
(() => {
  const recorder = { posted: [], state: window.__nasInitialState, violations: [], acquired: 0 };
  window.__nas = recorder;
  window.acquireVsCodeApi = () => {
    recorder.acquired++;
    if (recorder.acquired > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return {
      postMessage: (message) => recorder.posted.push(message),
      getState: () => recorder.state,
      setState: (state) => {
        recorder.state = state;
      },
    };
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    recorder.violations.push(`${event.violatedDirective}: ${event.blockedURI || event.sample}`);
  });
})();
