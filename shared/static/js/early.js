// Before the first paint (loaded without defer in <head>), so that a phone never shows the menu open while
// site.js loads. A file, not an inline script: the Content-Security-Policy allows no inline script.
document.documentElement.classList.add("js");
