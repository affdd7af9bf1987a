// 申报评审平台: the inline file viewer of core/_file_viewer.html. Reviewers and experts read the 申报书 and the
// materials beside the checklist or the score sheet instead of leaving the page. PDFs are drawn with the vendored
// PDF.js (one page at a time, with a selectable text layer), images as <img>, other types offer the download.
// The files come from the same permission-checked, audited download URLs as the links, with ?inline=1.

const root = document.querySelector("[data-file-viewer]");
const pane = root && root.querySelector("[data-viewer-pane]");

let pdfjs = null; // the PDF.js module, imported on first use so pages that never open a PDF do not load it
let current = null; // {document, page, pages, name} of the PDF on show
let loadToken = 0; // a later click wins over a slower earlier load

function message(key, values = {}) {
  const template = root.querySelector("[data-viewer-messages]");
  const text = template.content.querySelector(`[data-message="${key}"]`).textContent;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function part(name) {
  return pane.querySelector(`[data-viewer-${name}]`);
}

function setStatus(text) {
  part("status").textContent = text;
}

function inlineUrl(href) {
  const url = new URL(href, window.location.href);
  url.searchParams.set("inline", "1");
  return url.toString();
}

async function loadPdfjs() {
  if (!pdfjs) {
    pdfjs = await import(root.dataset.pdfjs);
    // A module worker from our own origin: allowed by the CSP's script-src 'self', no blob: needed.
    pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.pdfjsWorker;
  }
  return pdfjs;
}

async function renderPage(token) {
  const { document: pdf, page: number, name } = current;
  const page = await pdf.getPage(number);
  if (token !== loadToken) {
    return;
  }
  const stage = part("stage");
  const width = Math.max(stage.clientWidth - 16, 200);
  const scale = width / page.getViewport({ scale: 1 }).width;
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;

  const sheet = document.createElement("div");
  sheet.className = "file-viewer-page";
  sheet.style.width = `${Math.floor(viewport.width)}px`;
  sheet.style.height = `${Math.floor(viewport.height)}px`;
  sheet.style.setProperty("--scale-factor", String(scale));
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", message("canvas", { name, page: number }));
  const text = document.createElement("div");
  text.className = "textLayer";
  sheet.append(canvas, text);
  stage.replaceChildren(sheet);

  await page.render({
    canvasContext: canvas.getContext("2d"),
    viewport,
    transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  // The text layer makes the page searchable and selectable, and readable by screen readers.
  await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
  if (token !== loadToken) {
    return;
  }
  part("page-label").textContent = message("page", { page: number, pages: current.pages });
  part("previous").disabled = number <= 1;
  part("next").disabled = number >= current.pages;
  setStatus("");
  sheet.dataset.rendered = "true";
}

async function showPdf(url, name, token) {
  const library = await loadPdfjs();
  const assets = root.dataset.pdfjsAssets;
  const pdf = await library.getDocument({
    url,
    // Chinese PDFs without embedded fonts need the CMaps and the standard fonts, all served from our own static.
    cMapUrl: `${assets}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${assets}standard_fonts/`,
    isEvalSupported: false, // the CSP forbids eval; PDF.js would otherwise try it
    disableRange: true,
    disableStream: true,
  }).promise;
  if (token !== loadToken) {
    pdf.destroy();
    return;
  }
  if (current) {
    current.document.destroy();
  }
  current = { document: pdf, page: 1, pages: pdf.numPages, name };
  part("paging").hidden = pdf.numPages < 2;
  await renderPage(token);
}

function showImage(url, name) {
  const image = document.createElement("img");
  image.alt = name;
  image.addEventListener("load", () => setStatus(""));
  image.addEventListener("error", () => setStatus(message("failed")));
  image.src = url;
  part("stage").replaceChildren(image);
}

async function open(link) {
  const token = ++loadToken;
  const name = link.dataset.viewerName;
  const kind = link.dataset.viewerKind;
  root.querySelectorAll("[data-viewer-kind]").forEach((other) => other.removeAttribute("aria-current"));
  link.setAttribute("aria-current", "true");
  pane.hidden = false;
  part("title").textContent = name;
  part("download").href = link.href;
  part("paging").hidden = true;
  part("stage").replaceChildren();
  if (current) {
    current.document.destroy();
    current = null;
  }
  if (kind === "download") {
    setStatus(message("download"));
    return;
  }
  setStatus(message("loading"));
  const url = inlineUrl(link.href);
  if (kind === "image") {
    showImage(url, name);
    return;
  }
  try {
    await showPdf(url, name, token);
  } catch (error) {
    if (token === loadToken) {
      setStatus(message("failed"));
    }
    console.warn("viewer:", error);
  }
  if (window.matchMedia("(max-width: 1199.98px)").matches) {
    pane.scrollIntoView({ block: "start" });
  }
}

function turn(step) {
  if (!current) {
    return;
  }
  const target = current.page + step;
  if (target < 1 || target > current.pages) {
    return;
  }
  current.page = target;
  setStatus(message("loading"));
  renderPage(loadToken).catch(() => setStatus(message("failed")));
}

if (root && pane) {
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-viewer-kind]");
    if (link) {
      event.preventDefault();
      open(link);
    }
  });
  part("previous").addEventListener("click", () => turn(-1));
  part("next").addEventListener("click", () => turn(1));
}
