/** The HTTP status of a `ResponseError` from the client, if it is one. */
export function statusCodeOf(error: Error | undefined): number | undefined {
  return error &&
    error.name === 'ResponseError' &&
    'statusCode' in error &&
    typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}

/**
 * What went wrong, in plain words, for an error of the readiness client.
 * `what` names what could not be loaded ("the scorecard").
 */
export function explainError(error: Error, what: string): string {
  switch (statusCodeOf(error)) {
    case 403:
      return `You are not allowed to see ${what}. Ask the owners of the service or a readiness administrator for access.`;
    case 401:
      return 'You are not signed in. Sign in again and reload the page.';
    case 400:
      return 'The readiness backend rejected the request as invalid; the details below say why.';
    case 404:
      return `There is no ${what.replace(/^the /, '')} yet.`;
    default:
      return `The readiness backend did not answer, so ${what} cannot be shown. Try again in a moment; if it keeps failing, check that the readiness backend is running.`;
  }
}
