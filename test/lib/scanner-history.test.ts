import { describe, expect, it } from 'vitest';
import { HISTORY_WRITE_ACTIONS, NONCURRENT_VERSION_DAYS } from '../../lib/scanner-history.ts';
import { actionsOf, buildScanner, identityStatements, type Statement } from './cdk-test-app.ts';

/** The history bucket's resource and its policy's statements. */
const historyBucket = (input: unknown = {}) => {
  const { scanner, template, id } = buildScanner(input);
  const bucketId = id(scanner.historyBucket);
  const bucket = template.findResources('AWS::S3::Bucket')[bucketId] as {
    DeletionPolicy: string;
    UpdateReplacePolicy: string;
    Properties: Record<string, unknown> & {
      LifecycleConfiguration: { Rules: Record<string, unknown>[] };
    };
  };
  const policies = Object.values(
    template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }),
  ) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
  expect(policies).toHaveLength(1);
  return {
    scanner,
    template,
    id,
    bucketId,
    bucket,
    policy: policies[0]?.Properties.PolicyDocument.Statement ?? [],
  };
};

describe('ScannerHistory', () => {
  it('is encrypted, versioned, closed to the public and without ACLs', () => {
    const { bucket } = historyBucket();
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('is retained when the stack is deleted: it is audit evidence', () => {
    const { bucket } = historyBucket();
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
  });

  it.each([
    [400, {}],
    [731, { historyRetentionDays: 731 }],
  ])('expires stored reports after %i days, never the memory', (days, input) => {
    const { bucket } = historyBucket(input);
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: 'reports/', ExpirationInDays: days, Status: 'Enabled' }),
    );
    // Only the rule limited to reports/ expires current objects, so state.json stays.
    expect(rules.filter((rule) => rule.ExpirationInDays !== undefined)).toHaveLength(1);
    expect(rules).toContainEqual(
      expect.objectContaining({
        NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS },
        ExpiredObjectDeleteMarker: true,
      }),
    );
  });

  it('refuses requests without TLS 1.2', () => {
    const { policy } = historyBucket();
    expect(policy).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(policy).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    );
  });

  it('denies writing and deleting objects to every principal but the scanner role, and nothing else', () => {
    const { policy, scanner, id, bucketId } = historyBucket();
    const writes = policy.filter((s) => s.Sid === 'DenyObjectWritesByAnyOtherPrincipal');
    expect(writes).toEqual([
      {
        Sid: 'DenyObjectWritesByAnyOtherPrincipal',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...HISTORY_WRITE_ACTIONS],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [id(scanner.role), 'Arn'] } } },
      },
    ]);
    // Bucket settings stay with the account's administrators and CloudFormation: no lockout.
    expect(policy.flatMap(actionsOf).filter((action) => action.startsWith('s3:PutBucket'))).toEqual([]);
  });

  it('lets the scanner role read, write and list the history, and delete nothing', () => {
    const { scanner, template, bucketId } = historyBucket();
    const statements = identityStatements(template, scanner.role).filter((s) =>
      JSON.stringify(s.Resource).includes(bucketId),
    );
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      }),
      expect.objectContaining({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } }),
    ]);
  });

  it('hands the function its location as s3://<bucket>/', () => {
    const { template, bucketId } = historyBucket();
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    }[];
    expect(fn?.Properties.Environment.Variables.KEY_AUDIT_HISTORY).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/']],
    });
  });
});
