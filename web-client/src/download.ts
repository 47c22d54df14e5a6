// Hands a file the API answered to the browser's downloads, under the name the API gave it.

/** The file name of an answer's `Content-Disposition`, or `fallback`. */
export function fileName(response: Response, fallback: string): string {
  return /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? fallback;
}

export function saveFile(contents: Blob, name: string) {
  const url = URL.createObjectURL(contents);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
