import { FormError } from '../../../../services/accounts.ts';
import { ApiParameterError } from '../../../api/params.ts';

/** A service's FormError as the API's 400, naming the field. */
export async function asParameterError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    const [field, reason] = Object.entries(error.fields)[0] ?? ['body', error.message];
    throw new ApiParameterError(field, reason);
  }
}
