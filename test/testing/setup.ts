/** The matchers, as a user's vitest setupFiles would register them; imported by each test file here. */
import { expect } from 'vitest';
import { coworkerMatchers } from '../../src/testing/index';

expect.extend(coworkerMatchers);
