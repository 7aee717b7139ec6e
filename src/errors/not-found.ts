import { ApiError } from '../shared/errors/api-error';

/**
 * The 404 of a path no endpoint serves. The API's root stays a 404, as the legacy answered it,
 * but says where the reference is (detail and a `Link` header), for whoever opens it in a browser.
 */
export function unknownPath(path: string): ApiError {
  if (path === '/') {
    return new ApiError(404, 'No resource at /: the API reference is at /docs.', {
      headers: { Link: '</docs>; rel="help"' },
    });
  }
  return new ApiError(404, `No resource at ${path}.`);
}
