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

// A signed-in person: while they type, the session is kept alive; when they have been away,
// a warning two minutes before it ends offers to stay signed in
// (templates/partials/session_warning.html). Without script the session ends as before, and
// a form sent after the end is kept for the person to send again after signing in.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("session-warning");
  if (!box) return;
  const warnBefore = 120;
  let limit = Number(box.dataset.idleSeconds) || 0;
  if (limit <= warnBefore) return;
  const form = box.querySelector("form");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let lastRequest = Date.now();
  let typed = false;
  let timer = 0;

  const schedule = () => {
    window.clearTimeout(timer);
    const wait = (limit - warnBefore) * 1000 - (Date.now() - lastRequest);
    timer = window.setTimeout(check, Math.max(wait, 0));
  };
  const ended = () => {
    window.clearTimeout(timer);
    const text = box.querySelector("#session-warning-text");
    text.textContent = text.dataset.textEnded;
    form.hidden = true;
    box.hidden = false;
  };
  const keep = () => {
    fetch(box.dataset.keepUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
      redirect: "manual",
    })
      .then((response) => {
        if (!response.ok) throw new Error("The session has ended.");
        return response.text();
      })
      .then((seconds) => {
        limit = Number(seconds) || limit;
        lastRequest = Date.now();
        typed = false;
        box.hidden = true;
        schedule();
      })
      .catch(ended);
  };
  const check = () => {
    if (typed) {
      keep();
      return;
    }
    box.hidden = false;
    form.querySelector("button").focus();
    timer = window.setTimeout(ended, warnBefore * 1000);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    keep();
  });
  document.addEventListener("input", () => {
    typed = true;
  });
  schedule();
});

// The navigation's menus (<details>) close on a click outside them or on Escape.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.nav-details[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.nav-details[open]").forEach((menu) => {
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
});
