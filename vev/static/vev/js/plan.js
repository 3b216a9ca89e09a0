// The plan page: the PDF link carries the browser's time zone, so the PDF shows local times too.
const link = document.getElementById("plan-pdf-link");
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (link && zone) {
  const url = new URL(link.href, window.location.href);
  url.searchParams.set("tz", zone);
  link.href = url.pathname + url.search;
}
