// Saves a Blob as a file: a download in the browser, the save dialog in the desktop app.
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // The download has started from the URL; give it a moment before releasing the Blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
