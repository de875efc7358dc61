// The Echo Show's screen in the browser simulator: the rest's countdown, its wake-up and the touch buttons,
// each sending what the APL document (skill/voice/apl/workout.json) would send. Loaded before app.js.
"use strict";

// The page is an Echo Show: it counts a rest down and wakes the skill at its end, as the APL document does.
// ?speed=N runs the screen's clock N times faster (the browser test uses it; a real rest is minutes long).
const SPEED = Math.max(1, Number(new URLSearchParams(location.search).get("speed")) || 1);
let screenTimers = [];

function clearScreen() {
  screenTimers.forEach((timer) => clearTimeout(timer));
  screenTimers = [];
  $("countdown").hidden = true;
  $("screen-buttons").replaceChildren();
}

function later(ms, run) {
  screenTimers.push(setTimeout(run, ms / SPEED));
}

function showScreen(display) {
  // The document's countdown (full rest while the reply speaks, then a second at a time), its wake-up
  // (REST_OVER) and its buttons, each sending what the APL document's SendEvent would.
  clearScreen();
  if (!display) return;
  display.buttons.forEach((button, index) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = index === 0 ? "main" : "";
    element.textContent = button.label;
    element.dataset.event = button.event;
    element.addEventListener("click", () => send({ event: [button.event, display.step] }, button.label));
    $("screen-buttons").append(element);
  });
  if (display.rest_seconds > 0) {
    $("countdown").hidden = false;
    $("countdown-label").textContent = display.countdown_label;
    $("countdown-seconds").textContent = display.rest_seconds;
    for (let left = display.rest_seconds - 1; left >= 0; left -= 1) {
      later(display.lead_ms + (display.rest_seconds - left) * 1000, () => {
        $("countdown-seconds").textContent = left;
      });
    }
  }
  if (display.wake_ms > 0) later(display.wake_ms, () => send({ event: ["rest_over", display.step] }));
}

