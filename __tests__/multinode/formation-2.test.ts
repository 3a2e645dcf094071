/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b"]}}
 */
import { describeFormation } from './helpers/formation';

describeFormation();
