// Saves a file: a download in the browser, the save dialog in the desktop app.
function clickDownload(href: string, name: string): void {
  const a = document.createElement('a')
  a.href = href
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

/** Saves a Blob as a file. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  clickDownload(url, name)
  // The download has started from the URL; give it a moment before releasing the Blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Downloads what the app's own host serves at `url` (a session the engine streams), as `name`. */
export function downloadUrl(url: string, name: string): void {
  clickDownload(url, name)
}
