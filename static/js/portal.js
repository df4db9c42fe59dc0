// Loaded in <head>: marks that JavaScript runs, so CSS keeps menus open where it does not.
document.documentElement.classList.remove("no-js");
