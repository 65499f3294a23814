/** Every rule of the breaking-change check, one file each. */
import type { DocumentRule, OperationRule, SchemaRule } from '../types.js';
import { alternativesChanged } from './alternatives-changed.js';
import { componentRemoved } from './component-removed.js';
import { constraintChanged } from './constraint-changed.js';
import { defaultChanged } from './default-changed.js';
import { discriminatorChanged } from './discriminator-changed.js';
import { enumChanged } from './enum-changed.js';
import { limitChanged } from './limit-changed.js';
import { operationDeprecated } from './operation-deprecated.js';
import { operationIdChanged } from './operation-id-changed.js';
import { operationRemoved } from './operation-removed.js';
import { parameterChanged } from './parameter-changed.js';
import { pathParameterRenamed } from './path-parameter-renamed.js';
import { propertyAdded } from './property-added.js';
import { propertyRemoved } from './property-removed.js';
import { requestBodyChanged } from './request-body-changed.js';
import { requiredChanged } from './required-changed.js';
import { responseChanged } from './response-changed.js';
import { responseHeaderChanged } from './response-header-changed.js';
import { securityChanged } from './security-changed.js';
import { securitySchemeChanged } from './security-scheme-changed.js';
import { serverVariableRemoved } from './server-variable-removed.js';
import { serversChanged } from './servers-changed.js';
import { typeChanged } from './type-changed.js';

export const documentRules: DocumentRule[] = [serversChanged, serverVariableRemoved, securitySchemeChanged, componentRemoved];
export const operationRules: OperationRule[] = [operationRemoved, operationIdChanged, operationDeprecated, parameterChanged, pathParameterRenamed, requestBodyChanged, responseChanged, responseHeaderChanged, securityChanged];
export const schemaRules: SchemaRule[] = [propertyRemoved, propertyAdded, requiredChanged, enumChanged, typeChanged, limitChanged, constraintChanged, alternativesChanged, discriminatorChanged, defaultChanged];
