// The interactive exhibit of the demo pavilion: each button reveals its answer.
for (const button of document.querySelectorAll("#quiz button")) {
  button.addEventListener("click", () => {
    const answer = document.getElementById(button.getAttribute("aria-controls"));
    answer.hidden = !answer.hidden;
    button.setAttribute("aria-expanded", String(!answer.hidden));
  });
}
