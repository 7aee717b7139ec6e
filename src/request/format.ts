import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { PHP_ARRAY } from '../legacy/php-query';
import { ApiError } from '../shared/errors/api-error';
import { phpGetString } from './query';

export type OutputFormat = 'json' | 'xml' | 'csv';

const GONE = ['php', 'serialized'];
const DOCS_LINK = '/docs';

function gone(name: string): ApiError {
  return new ApiError(
    410,
    `The "${name}" output format is no longer offered; use json, xml or csv (see ${DOCS_LINK}).`,
    { type: DOCS_LINK },
  );
}

/** The REST Server's Accept sniffing (3.1.7 `_detect_output_format`): substring tests in its order. */
function fromAccept(accept: string): OutputFormat {
  for (const name of ['json', 'array', 'csv', 'html', 'jsonp', 'php', 'serialized', 'xml']) {
    if (!accept.includes(name)) continue;
    if (name === 'xml' && accept.includes('html')) continue;
    // Whatever the header selects other than csv or xml was served as JSON by the legacy origin.
    return name === 'csv' ? 'csv' : name === 'xml' ? 'xml' : 'json';
  }
  return 'json';
}

/**
 * Output format per CONTRACT §1.3: the path extension, else the `format` parameter
 * (case-insensitive), else the Accept header, else JSON. Checked before the keys (§4).
 */
export function negotiateFormat(c: Context<AppEnv>): OutputFormat {
  const extension = c.get('route').extension;
  if (extension) {
    if (extension === 'json' || extension === 'xml' || extension === 'csv') return extension;
    if (GONE.includes(extension)) throw gone(extension);
    throw new ApiError(
      400,
      `The ".${extension}" extension is not an output format; use .json, .xml or .csv.`,
    );
  }
  const given = phpGetString(c.req.raw, 'format');
  if (given !== undefined) {
    // A list (`format[]=xml`) is not a string: the legacy compared '' (400).
    const parameter = given === PHP_ARRAY ? '' : (given as string);
    const name = parameter.toLowerCase();
    if (name === 'json' || name === 'xml' || name === 'csv') return name;
    if (GONE.includes(name)) throw gone(name);
    throw new ApiError(400, `Parameter "format" must be json, xml or csv; got "${parameter.slice(0, 40)}".`);
  }
  return fromAccept(c.req.header('accept') ?? '');
}
