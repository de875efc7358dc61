// The browser simulator: typed or dictated text -> POST /simulator/turn -> transcript, voice, exercise card.
// The page holds the conversation state the server hands back and returns it with the next turn.
"use strict";

const $ = (id) => document.getElementById(id);
const PAUSE = /\[pause ([\d.]+) s\]/;
const LONG_REPLY = 400; // characters
const STATUS = { intro: "Getting ready", in_set: "In a set", resting: "Resting", paused: "Paused", complete: "Done" };

let conversation = null;
let busy = false;

function runner() {
  return $("runner").value.trim() || "runner";
}

function locale() {
  return $("locale").value || "en-US";
}

function bubble(kind, build) {
  const item = document.createElement("div");
  item.className = `turn ${kind}`;
  build(item);
  $("transcript").append(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

function withPauses(parent, text) {
  // Text nodes only (never innerHTML): "[pause 10 s]" becomes a small chip.
  text.split(PAUSE).forEach((part, index) => {
    if (index % 2 === 1) {
      const chip = document.createElement("span");
      chip.className = "pause";
      chip.textContent = `pause ${part} s`;
      parent.append(chip);
    } else if (part.trim()) {
      parent.append(part);
    }
  });
}

function addNote(text, kind = "note") {
  bubble(kind, (item) => { item.textContent = text; });
}

function addCoach(reply) {
  const slots = Object.entries(reply.heard.slots).map(([name, value]) => ` ${name}=${value}`).join("");
  addNote(`heard: ${reply.heard.intent}${slots}`, "heard");
  if (reply.text) {
    bubble("coach", (item) => {
      const said = document.createElement("div");
      said.className = "said";
      const words = document.createElement("p");
      withPauses(words, reply.text);
      said.append(words);
      item.append(said);
      if (reply.text.length > LONG_REPLY) {
        // A set's rep-by-rep pacing is long: fold it, keep the end (what to say next) in view.
        item.classList.add("long", "folded");
        const more = document.createElement("button");
        more.type = "button";
        more.className = "more";
        more.textContent = "Show the whole reply";
        more.addEventListener("click", () => {
          const folded = item.classList.toggle("folded");
          more.textContent = folded ? "Show the whole reply" : "Fold it";
        });
        item.append(more);
      }
      if (reply.reprompt) {
        const reprompt = document.createElement("p");
        reprompt.className = "reprompt";
        reprompt.textContent = `reprompt: ${reply.reprompt}`;
        item.append(reprompt);
      }
    });
  }
  if (reply.ended) addNote("(session ended)");
}

function showExercise(exercise) {
  const card = $("exercise");
  card.classList.toggle("idle", !exercise);
  const dots = $("set-dots");
  const steps = $("exercise-steps");
  dots.replaceChildren();
  steps.replaceChildren();
  if (!exercise) {
    $("exercise-name").textContent = "No workout in progress";
    $("set-progress").textContent = "Say “start my hamstring workout”";
    $("exercise-status").textContent = "";
    $("exercise-dose").textContent = "";
    return;
  }
  $("exercise-name").textContent = exercise.name;
  $("exercise-status").textContent = STATUS[exercise.status] || exercise.status;
  $("set-progress").textContent = `Set ${exercise.set_number} of ${exercise.total_sets}`;
  $("exercise-dose").textContent = exercise.dose || "";
  for (let set = 1; set <= exercise.total_sets; set += 1) {
    const dot = document.createElement("span");
    dot.className = set < exercise.set_number ? "dot done" : set === exercise.set_number ? "dot current" : "dot";
    dots.append(dot);
  }
  steps.append(...exercise.steps.map((step) => {
    const item = document.createElement("li");
    item.textContent = step;
    return item;
  }));
}

// speechSynthesis has no pauses of its own: speak the text between pauses, wait out each pause.
let speechRun = 0;

function stopSpeaking() {
  speechRun += 1;
  if (window.speechSynthesis) window.speechSynthesis.cancel();
}

function speak(text) {
  stopSpeaking();
  if (!window.speechSynthesis || !$("voice").checked) return;
  const run = speechRun;
  const parts = text.split(PAUSE);
  let index = 0;
  const next = () => {
    if (run !== speechRun || index >= parts.length) return;
    const part = parts[index];
    index += 1;
    if (index % 2 === 0) {
      setTimeout(next, parseFloat(part) * 1000);
    } else if (!part.trim()) {
      next();
    } else {
      const utterance = new SpeechSynthesisUtterance(part);
      utterance.lang = locale();
      utterance.onend = next;
      utterance.onerror = next;
      window.speechSynthesis.speak(utterance);
    }
  };
  next();
}

async function say(text) {
  text = text.trim();
  if (!text) return;
  await send({ text }, text);
}

async function send(turn, shown) {
  if (busy) return;
  busy = true;
  $("send").disabled = true;
  stopSpeaking();
  if (shown) bubble("you", (item) => { item.textContent = shown; });
  try {
    const answer = await fetch("/simulator/turn", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...turn, user: runner(), locale: locale(), conversation }),
    });
    const reply = await answer.json();
    if (!answer.ok) throw new Error(reply.error || answer.statusText);
    conversation = reply.conversation;
    if (!reply.text && turn.event) return; // a quiet answer: the screen stays as it is
    addCoach(reply);
    showExercise(reply.exercise);
    if (reply.display || reply.ended) showScreen(reply.display);
    speak(reply.text);
  } catch (error) {
    addNote(`error: ${error.message}`, "error");
  } finally {
    busy = false;
    $("send").disabled = false;
    $("utterance").focus();
  }
}

function setUpMicrophone() {
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (!Recognition) return; // the button stays hidden: type instead
  const mic = $("mic");
  mic.hidden = false;
  mic.addEventListener("click", () => {
    stopSpeaking();
    const recognition = new Recognition();
    recognition.lang = locale();
    recognition.interimResults = false;
    recognition.onresult = (event) => {
      const heard = event.results[0][0].transcript;
      $("utterance").value = "";
      say(heard);
    };
    recognition.onerror = (event) => addNote(`microphone: ${event.error}`, "error");
    recognition.onend = () => mic.classList.remove("listening");
    mic.classList.add("listening");
    recognition.start();
  });
}

$("say-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("utterance").value;
  $("utterance").value = "";
  say(text);
});
$("suggestions").addEventListener("click", (event) => {
  if (event.target.tagName === "BUTTON") say(event.target.textContent);
});
$("runner").value = localStorage.getItem("hc-runner") || "runner";
$("runner").addEventListener("change", () => {
  localStorage.setItem("hc-runner", runner());
  conversation = null; // a new runner starts a new session (their own progress comes back from Redis)
  showExercise(null);
  addNote(`Now talking as ${runner()}.`);
});
// The locale picker: each published locale, with a few things to say in it as the suggestion buttons.
function showSuggestions(said) {
  $("suggestions").replaceChildren(...said.map((words) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = words;
    return button;
  }));
}

async function setUpLocales() {
  const answer = await fetch("/simulator/locales");
  const known = await answer.json();
  const picker = $("locale");
  picker.replaceChildren(...known.map((entry) => new Option(entry.locale, entry.locale)));
  const saved = localStorage.getItem("hc-locale");
  picker.value = known.some((entry) => entry.locale === saved) ? saved : "en-US";
  const pick = () => showSuggestions(known.find((entry) => entry.locale === picker.value).suggestions);
  pick();
  picker.addEventListener("change", () => {
    localStorage.setItem("hc-locale", locale());
    conversation = null; // another language is another device: a new session (progress comes back from Redis)
    showExercise(null);
    pick();
    addNote(`Now speaking ${locale()}.`);
  });
}

$("voice").checked = localStorage.getItem("hc-voice") !== "off";
$("voice").addEventListener("change", () => {
  localStorage.setItem("hc-voice", $("voice").checked ? "on" : "off");
  if (!$("voice").checked) stopSpeaking();
});
if (!window.speechSynthesis) $("voice-setting").hidden = true;
setUpMicrophone();
setUpLocales().catch((error) => addNote(`locales: ${error.message}`, "error"));
