// Made-up key values planted in events (never the seed's keys), and the search for them in what
// reached the sink: as planted, in either letter case, percent-encoded, JSON-escaped.

export const PLANTED = {
  header: 'PlantedHeaderKey-0a1b2c3d',
  headerUpper: 'PlantedUpperHeaderKey-4e5f6071',
  integrationHeader: 'PlantedIntegrationKey-8293a4b5',
  query: 'PlantedQueryKey-c6d7e8f9',
  queryEncodedName: 'PlantedEncodedName-1029384756',
  queryUpperName: 'PlantedUpperName-5647382910',
  queryDotName: 'PlantedDotName-abcdef0123',
  queryBracketName: 'PlantedBracketName-4567890abc',
  queryIntegration: 'PlantedQueryIntegration-def012',
  message: 'PlantedMessageKey-3456789abc',
  exception: 'PlantedExceptionKey-def0123456',
} as const;

export const PLANTED_VALUES: readonly string[] = Object.values(PLANTED);

/** A URL carrying keys in every spelling the legacy accepted (and one it did not: upper case). */
export function plantedUrl(base: string): string {
  const pairs = [
    `api_key=${PLANTED.query}`,
    `%61pi_key=${PLANTED.queryEncodedName}`,
    `API_KEY=${PLANTED.queryUpperName}`,
    `api.key=${PLANTED.queryDotName}`,
    `api_key%5B%5D=${PLANTED.queryBracketName}`,
    `integration%5Fkey=${PLANTED.queryIntegration}`,
    'format=json',
  ];
  return `${base}?${pairs.join('&')}`;
}

/** The planted values found in `text`, in any of the forms a leak could take. */
export function leaksIn(text: string, values: readonly string[] = PLANTED_VALUES): string[] {
  const haystack = text.toLowerCase();
  return values.filter((value) =>
    [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)].some((form) =>
      haystack.includes(form.toLowerCase()),
    ),
  );
}
