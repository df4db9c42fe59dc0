// Loaded in <head>: marks that JavaScript runs, so CSS keeps menus open where it does not.
document.documentElement.classList.remove("no-js");

// Sign-up: the browser's time zone, so that times are shown in the person's zone at once.
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  document.querySelectorAll("input[data-browser-time-zone]").forEach((input) => {
    if (!input.value) input.value = zone;
  });
});
